using System.Globalization;
using Robotics.Contract.Config;

namespace Robotics.Contract.Definitions;

/// <summary>
/// A robot as written in configs/robots/NAME.yaml: its MJCF file, its measured joints and its actuators
/// in order, their limits, and the control rate. The YAML is the contract; the simulator checks that
/// the MJCF has every joint and actuator it names.
/// </summary>
public sealed record RobotDefinition(
    string Name,
    string File,
    string MjcfPath,
    IReadOnlyList<JointSpec> Joints,
    IReadOnlyList<ActuatorSpec> Actuators,
    double ControlRateHz,
    int PhysicsDecimation,
    ImuDefinition? Imu)
{
    private static readonly string[] TopLevelKeys =
        ["name", "mjcf", "control_rate_hz", "physics_decimation", "joint_defaults", "joints", "actuators", "imu"];

    /// <summary>Seconds per control step (one policy action).</summary>
    public double ControlDt => 1.0 / ControlRateHz;

    /// <summary>Seconds per physics step; the MJCF timestep must equal this.</summary>
    public double PhysicsDt => 1.0 / (ControlRateHz * PhysicsDecimation);

    public RobotContract ToContract() => new(Name, Joints, Actuators, ControlRateHz, PhysicsDecimation, Imu is not null);

    public int JointIndex(string name)
    {
        for (int i = 0; i < Joints.Count; i++)
        {
            if (Joints[i].Name == name)
                return i;
        }
        return -1;
    }

    public int ActuatorIndex(string name)
    {
        for (int i = 0; i < Actuators.Count; i++)
        {
            if (Actuators[i].Name == name)
                return i;
        }
        return -1;
    }

    public static RobotDefinition Load(string file)
    {
        string fullPath = System.IO.Path.GetFullPath(file);
        return FromConfig(ConfigFile.Load(fullPath));
    }

    /// <summary>Parses YAML text; a relative mjcf path is resolved against the folder of <paramref name="file"/>.</summary>
    public static RobotDefinition Parse(string yaml, string file) => FromConfig(ConfigFile.Parse(yaml, System.IO.Path.GetFullPath(file)));

    private static RobotDefinition FromConfig(ConfigMap root)
    {
        root.AllowOnly(TopLevelKeys);
        string file = root.File;
        string name = root.OptionalString("name") ?? System.IO.Path.GetFileNameWithoutExtension(file);

        var mjcfValue = root.Required("mjcf", "the path of the MJCF file, relative to this file or absolute");
        string mjcf = System.IO.Path.GetFullPath(mjcfValue.AsString(), System.IO.Path.GetDirectoryName(file)!);

        var rateValue = root.Required("control_rate_hz", "the control rate in Hz (policy actions per second)");
        double rate = rateValue.AsPositiveDouble();
        var decimationValue = root.Required("physics_decimation", "the number of physics steps per control step (an integer >= 1)");
        int decimation = decimationValue.AsInt();
        if (decimation < 1)
            throw decimationValue.Error($"expected an integer >= 1, found {decimation}");

        var defaults = root.Optional("joint_defaults")?.AsMap();
        defaults?.AllowOnly("velocity", "effort");

        var listed = ReadJoints(root.Required("joints", "a list of joints, each with name, position, velocity and effort"));
        var actuators = ReadActuators(root.Required("actuators", "a list of actuators, each with name, joint, mode and command"), listed);
        var joints = listed.Select(j => j.WithLimits(defaults, actuators)).ToArray();
        var imu = ReadImu(root.Optional("imu"));
        return new RobotDefinition(name, file, mjcf, joints, actuators, rate, decimation, imu);
    }

    private static ListedJoint[] ReadJoints(ConfigValue value)
    {
        var items = value.AsList();
        if (items.Count == 0)
            throw value.Error("expected at least one joint");
        var joints = new ListedJoint[items.Count];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < items.Count; i++)
        {
            var map = items[i].AsMap();
            map.AllowOnly("name", "position", "velocity", "effort");
            string name = map.RequiredString("name");
            if (!seen.Add(name))
                throw map.Required("name", "").Error($"joint '{name}' is listed twice");

            var position = map.Required("position", "the position range [min, max] (m or rad), or 'unlimited'");
            var (min, max) = position.IsScalar && position.AsString() == "unlimited"
                ? (double.NegativeInfinity, double.PositiveInfinity)
                : position.AsRange();
            joints[i] = new ListedJoint(map, name, min, max);
        }
        return joints;
    }

    /// <summary>A joint as listed, before its velocity and effort limits are settled (they depend on whether an actuator drives it).</summary>
    private sealed record ListedJoint(ConfigMap Map, string Name, double PositionMin, double PositionMax)
    {
        /// <summary>
        /// The joint with its limits: its own, else joint_defaults'. A joint no actuator drives may have none; its
        /// contract then holds +Infinity (no limit), since nothing the policy commands is bounded by them.
        /// </summary>
        public JointSpec WithLimits(ConfigMap? defaults, ActuatorSpec[] actuators)
        {
            var driver = actuators.FirstOrDefault(a => a.Joint == Name);
            return new JointSpec(Name, PositionMin, PositionMax,
                LimitOf(defaults, driver, "velocity", "the velocity limit (m/s or rad/s)"),
                LimitOf(defaults, driver, "effort", "the effort limit (N or N·m)"));
        }

        private double LimitOf(ConfigMap? defaults, ActuatorSpec? driver, string key, string expected)
        {
            if ((Map.Optional(key) ?? defaults?.Optional(key)) is { } value)
                return value.AsPositiveDouble();
            if (driver is null)
                return double.PositiveInfinity;
            throw new ConfigException(Map.File, Map.PathOf(key),
                $"missing; expected {expected}, here or under joint_defaults (line {Map.Line}): actuator '{driver.Name}' drives joint '{Name}' (only joints no actuator drives may leave it out)");
        }
    }

    private static ActuatorSpec[] ReadActuators(ConfigValue value, ListedJoint[] joints)
    {
        var items = value.AsList();
        if (items.Count == 0)
            throw value.Error("expected at least one actuator");
        var actuators = new ActuatorSpec[items.Count];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < items.Count; i++)
        {
            var map = items[i].AsMap();
            map.AllowOnly("name", "joint", "mode", "command");
            string name = map.RequiredString("name");
            if (!seen.Add(name))
                throw map.Required("name", "").Error($"actuator '{name}' is listed twice");

            var jointValue = map.Required("joint", "the name of a joint listed under joints");
            string joint = jointValue.AsString();
            if (!joints.Any(j => j.Name == joint))
                throw jointValue.Error($"unknown joint '{joint}'; the joints list has: {string.Join(", ", joints.Select(j => j.Name))}");

            var modeValue = map.Required("mode", "one of " + string.Join(", ", ActuatorModes.All));
            string mode = modeValue.AsString();
            if (!ActuatorModes.All.Contains(mode))
                throw modeValue.Error($"unknown mode '{mode}'; expected one of: {string.Join(", ", ActuatorModes.All)}");

            var commandValue = map.Required("command", "the command range [min, max] in the robot's units");
            var (min, max) = commandValue.AsRange();
            if (!double.IsFinite(min) || !double.IsFinite(max) || min == max)
                throw commandValue.Error(string.Create(CultureInfo.InvariantCulture,
                    $"expected a finite range with min < max, found [{min}, {max}]"));
            actuators[i] = new ActuatorSpec(name, joint, mode, min, max);
        }
        return actuators;
    }

    private static ImuDefinition? ReadImu(ConfigValue? value)
    {
        if (value is null)
            return null;
        var map = value.AsMap();
        map.AllowOnly("site", "body", "gyro", "accelerometer");
        string? site = map.OptionalString("site");
        string? body = map.OptionalString("body");
        if ((site is null) == (body is null))
            throw value.Error("expected exactly one of 'site' or 'body': where the IMU is mounted");
        return new ImuDefinition(site, body, map.OptionalString("gyro"), map.OptionalString("accelerometer"));
    }
}
