using System.Globalization;
using Robotics.Contract;
using Robotics.Contract.Definitions;
using Robotics.Sim.Mujoco;

namespace Robotics.Sim.Tasks;

/// <summary>
/// A robot definition checked against its compiled MJCF: the MuJoCo ids and array addresses of every
/// contract joint, actuator and the IMU. The same for every copy of the model, so computed once.
/// </summary>
public sealed class RobotBinding
{
    /// <summary>How far the MJCF timestep may differ from 1 / (control_rate_hz × physics_decimation), relative.</summary>
    private const double TimestepTolerance = 1e-9;

    private RobotBinding(RobotDefinition robot, MjModel model)
    {
        Robot = robot;
        int nj = robot.Joints.Count, na = robot.Actuators.Count;
        JointIds = new int[nj];
        JointQposAddress = new int[nj];
        JointDofAddress = new int[nj];
        ActuatorIds = new int[na];
        ActuatorGear = new double[na];
        ActuatorJoint = new int[na];

        for (int i = 0; i < nj; i++)
        {
            string name = robot.Joints[i].Name;
            int id = RequireOneDofJoint(robot, model, name, $"joints[{i}].name");
            JointIds[i] = id;
            JointQposAddress[i] = model.JntQposadr[id];
            JointDofAddress[i] = model.JntDofadr[id];
        }

        for (int i = 0; i < na; i++)
        {
            var spec = robot.Actuators[i];
            int id = model.NameToId(MjtObj.Actuator, spec.Name);
            if (id < 0)
                throw new ConfigException(robot.File, $"actuators[{i}].name",
                    $"the MJCF file {robot.MjcfPath} has no actuator '{spec.Name}'; it has: {NamesOf(model, MjtObj.Actuator, model.Nu)}");
            int joint = robot.JointIndex(spec.Joint);
            var trn = (MjtTrn)model.ActuatorTrntype[id];
            int target = model.ActuatorTrnid[2 * id];
            if (trn is not (MjtTrn.Joint or MjtTrn.JointInParent) || target != JointIds[joint])
            {
                string drives = trn is MjtTrn.Joint or MjtTrn.JointInParent
                    ? $"joint '{model.IdToName(MjtObj.Joint, target)}'"
                    : $"a {trn} transmission";
                throw new ConfigException(robot.File, $"actuators[{i}].joint",
                    $"MJCF actuator '{spec.Name}' drives {drives}, not joint '{spec.Joint}'");
            }
            ActuatorIds[i] = id;
            ActuatorGear[i] = model.ActuatorGear[6 * id];
            ActuatorJoint[i] = joint;
        }

        double expected = robot.PhysicsDt;
        if (Math.Abs(model.Timestep - expected) > TimestepTolerance * expected)
            throw new ConfigException(robot.File, "physics_decimation", string.Create(CultureInfo.InvariantCulture,
                $"1 / (control_rate_hz {robot.ControlRateHz} × physics_decimation {robot.PhysicsDecimation}) = {expected:R} s, but the MJCF timestep is {model.Timestep:R} s; make them agree (change the YAML or <option timestep> in {robot.MjcfPath})"));

        if (robot.Imu is { } imu)
        {
            if (imu.Site is not null)
            {
                ImuSite = model.NameToId(MjtObj.Site, imu.Site);
                if (ImuSite < 0)
                    throw new ConfigException(robot.File, "imu.site", $"the MJCF file has no site '{imu.Site}'; it has: {NamesOf(model, MjtObj.Site, model.Nsite)}");
                ImuBody = model.SiteBodyid[ImuSite];
            }
            else
            {
                ImuSite = -1;
                ImuBody = model.NameToId(MjtObj.Body, imu.Body!);
                if (ImuBody < 0)
                    throw new ConfigException(robot.File, "imu.body", $"the MJCF file has no body '{imu.Body}'; it has: {NamesOf(model, MjtObj.Body, model.Nbody)}");
            }
            GyroAddress = imu.GyroSensor is null ? -1 : ThreeAxisSensor(robot, model, imu.GyroSensor, "imu.gyro");
            AccelerometerAddress = imu.AccelerometerSensor is null ? -1 : ThreeAxisSensor(robot, model, imu.AccelerometerSensor, "imu.accelerometer");
        }
        else
        {
            ImuSite = ImuBody = GyroAddress = AccelerometerAddress = -1;
        }
    }

    public RobotDefinition Robot { get; }

    /// <summary>MJCF joint id of each contract joint.</summary>
    public int[] JointIds { get; }
    public int[] JointQposAddress { get; }
    public int[] JointDofAddress { get; }

    /// <summary>MJCF actuator id of each contract actuator.</summary>
    public int[] ActuatorIds { get; }

    /// <summary>First gear element of each contract actuator: joint effort = actuator force × gear.</summary>
    public double[] ActuatorGear { get; }

    /// <summary>Contract joint index each actuator drives.</summary>
    public int[] ActuatorJoint { get; }

    public bool HasImu => ImuBody >= 0;

    /// <summary>IMU site id, or -1 when the IMU is a body (or absent).</summary>
    public int ImuSite { get; }

    /// <summary>Body carrying the IMU, or -1 when there is none.</summary>
    public int ImuBody { get; }

    /// <summary>Sensor data address of the gyro, or -1 (then angular velocity comes from the body's velocity).</summary>
    public int GyroAddress { get; }

    /// <summary>Sensor data address of the accelerometer, or -1 (then the IMU reports gravity only).</summary>
    public int AccelerometerAddress { get; }

    public static RobotBinding Create(RobotDefinition robot, MjModel model) => new(robot, model);

    /// <summary>Id of a hinge or slide joint of the MJCF, or a <see cref="ConfigException"/> at <paramref name="file"/>/<paramref name="key"/>.</summary>
    public static int RequireOneDofJoint(MjModel model, string name, string file, string key, string mjcfPath)
    {
        int id = model.NameToId(MjtObj.Joint, name);
        if (id < 0)
            throw new ConfigException(file, key, $"the MJCF file {mjcfPath} has no joint '{name}'; it has: {NamesOf(model, MjtObj.Joint, model.Njnt)}");
        var type = (MjtJoint)model.JntType[id];
        if (type is not (MjtJoint.Hinge or MjtJoint.Slide))
            throw new ConfigException(file, key, $"joint '{name}' is a {type.ToString().ToLowerInvariant()} joint; only hinge and slide joints can be listed (observe free bodies with body_position, body_orientation or the IMU)");
        return id;
    }

    public static string NamesOf(MjModel model, MjtObj kind, int count)
    {
        var names = Enumerable.Range(0, count).Select(i => model.IdToName(kind, i)).Where(n => !string.IsNullOrEmpty(n)).ToArray();
        return names.Length == 0 ? "(none with a name)" : string.Join(", ", names);
    }

    private static int RequireOneDofJoint(RobotDefinition robot, MjModel model, string name, string key) =>
        RequireOneDofJoint(model, name, robot.File, key, robot.MjcfPath);

    private static int ThreeAxisSensor(RobotDefinition robot, MjModel model, string name, string key)
    {
        int id = model.NameToId(MjtObj.Sensor, name);
        if (id < 0)
            throw new ConfigException(robot.File, key, $"the MJCF file has no sensor '{name}'; it has: {NamesOf(model, MjtObj.Sensor, model.Nsensor)}");
        if (model.SensorDim[id] != 3)
            throw new ConfigException(robot.File, key, $"sensor '{name}' gives {model.SensorDim[id]} values; expected 3 (x, y, z)");
        return model.SensorAdr[id];
    }
}
