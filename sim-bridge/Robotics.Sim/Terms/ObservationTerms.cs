using Robotics.Contract;
using Robotics.Contract.Observations;
using Robotics.Sim.Mujoco;

namespace Robotics.Sim.Terms;

/// <summary>The built-in observation terms. Units: m, rad, m/s, rad/s, N, N·m; quaternions (w, x, y, z).</summary>
public static class ObservationTerms
{
    public static void Register(TermRegistry registry)
    {
        registry.AddObservation(ObservationKinds.JointPositions, a => JointState(a, ObservationKinds.JointPositions, velocity: false));
        registry.AddObservation(ObservationKinds.JointAnglesSinCos, JointAnglesSinCos);
        registry.AddObservation(ObservationKinds.JointVelocities, a => JointState(a, ObservationKinds.JointVelocities, velocity: true));
        registry.AddObservation(ObservationKinds.JointEfforts, JointEfforts);
        registry.AddObservation(ObservationKinds.ProjectedGravity, a => Imu(a, ObservationKinds.ProjectedGravity, ["x", "y", "z"]));
        registry.AddObservation(ObservationKinds.ImuOrientation, a => Imu(a, ObservationKinds.ImuOrientation, ["w", "x", "y", "z"]));
        registry.AddObservation(ObservationKinds.ImuAngularVelocity, a => Imu(a, ObservationKinds.ImuAngularVelocity, ["x", "y", "z"]));
        registry.AddObservation(ObservationKinds.ImuLinearAcceleration, a => Imu(a, ObservationKinds.ImuLinearAcceleration, ["x", "y", "z"]));
        registry.AddObservation(ObservationKinds.PreviousAction, PreviousAction);
        registry.AddObservation(ObservationKinds.Command, Command);
        registry.AddObservation(ObservationKinds.BodyPosition, BodyPosition);
        registry.AddObservation(ObservationKinds.BodyOrientation, BodyOrientation);
        registry.AddObservation(ObservationKinds.SitePosition, SitePosition);
        registry.AddObservation(ObservationKinds.Sensor, Sensor);
    }

    private static IObservationTerm JointState(TermArgs a, string kind, bool velocity)
    {
        a.Definition.AllowParameters("joints");
        var names = a.JointNames();
        var addresses = new int[names.Count];
        for (int i = 0; i < names.Count; i++)
        {
            int id = a.Joint(names[i], "joints");
            addresses[i] = velocity ? a.Model.JntDofadr[id] : a.Model.JntQposadr[id];
        }
        return new JointStateTerm(new ObservationTermSpec(kind, names, names.Count), addresses, velocity);
    }

    /// <summary>
    /// Sine and cosine of hinge joints of the robot file: built by the shared ObservationBuilder from the encoder
    /// readings, so a robot computes exactly what the simulator does. The joints are named, not defaulted, because
    /// the sine of a slide joint's position means nothing.
    /// </summary>
    private static IObservationTerm JointAnglesSinCos(TermArgs a)
    {
        a.Definition.AllowParameters("joints");
        var names = a.Parameters.Required("joints", "a list of the robot's hinge joints, e.g. [hinge]").AsStringList();
        if (names.Count == 0)
            throw a.Error("joints", "expected at least one joint name");
        foreach (string name in names)
        {
            if (a.Robot.JointIndex(name) < 0)
                throw a.Error("joints", $"joint_angles_sincos reads joints of the robot file only; '{name}' is not one (robot joints: {string.Join(", ", a.Robot.Joints.Select(j => j.Name))})");
            int id = a.Joint(name, "joints");
            if ((MjtJoint)a.Model.JntType[id] != MjtJoint.Hinge)
                throw a.Error("joints", $"joint '{name}' is a {((MjtJoint)a.Model.JntType[id]).ToString().ToLowerInvariant()} joint; joint_angles_sincos observes the angles of hinge joints (observe it with joint_positions)");
        }
        return new RobotSuppliedTerm(new ObservationTermSpec(ObservationKinds.JointAnglesSinCos, names, 2 * names.Count));
    }

    private static IObservationTerm JointEfforts(TermArgs a)
    {
        a.Definition.AllowParameters("joints");
        var names = a.JointNames();
        foreach (string name in names)
        {
            if (a.Robot.JointIndex(name) < 0)
                throw a.Error("joints", $"joint_efforts reads joints of the robot file only; '{name}' is not one (robot joints: {string.Join(", ", a.Robot.Joints.Select(j => j.Name))})");
        }
        return new RobotSuppliedTerm(new ObservationTermSpec(ObservationKinds.JointEfforts, names, names.Count));
    }

    private static IObservationTerm Imu(TermArgs a, string kind, string[] axes)
    {
        a.Definition.AllowParameters();
        a.RequireImu();
        return new RobotSuppliedTerm(new ObservationTermSpec(kind, axes, axes.Length));
    }

    private static IObservationTerm PreviousAction(TermArgs a)
    {
        a.Definition.AllowParameters();
        var names = a.Robot.Actuators.Select(x => x.Name).ToArray();
        return new RobotSuppliedTerm(new ObservationTermSpec(ObservationKinds.PreviousAction, names, names.Length));
    }

    private static IObservationTerm Command(TermArgs a)
    {
        a.Definition.AllowParameters("command");
        var (name, _, size) = a.Command();
        return new RobotSuppliedTerm(new ObservationTermSpec(ObservationKinds.Command, [name], size));
    }

    private static IObservationTerm BodyPosition(TermArgs a)
    {
        a.Definition.AllowParameters("body");
        int body = a.Body();
        return new BodyPositionTerm(new ObservationTermSpec(ObservationKinds.BodyPosition, [a.Parameters.RequiredString("body")], 3), body);
    }

    private static IObservationTerm BodyOrientation(TermArgs a)
    {
        a.Definition.AllowParameters("body");
        int body = a.Body();
        return new BodyOrientationTerm(new ObservationTermSpec(ObservationKinds.BodyOrientation, [a.Parameters.RequiredString("body")], 4), body);
    }

    private static IObservationTerm SitePosition(TermArgs a)
    {
        a.Definition.AllowParameters("site", "relative_to");
        int site = a.Site();
        var reference = a.Parameters.Optional("relative_to");
        int referenceSite = reference is null ? -1 : a.SiteNamed(reference);
        string[] names = reference is null
            ? [a.Parameters.RequiredString("site")]
            : [a.Parameters.RequiredString("site"), reference.AsString()];
        return new SitePositionTerm(new ObservationTermSpec(ObservationKinds.SitePosition, names, 3), site, referenceSite);
    }

    private static IObservationTerm Sensor(TermArgs a)
    {
        a.Definition.AllowParameters("sensor");
        int sensor = a.Sensor();
        int size = a.Model.SensorDim[sensor];
        return new SensorTerm(new ObservationTermSpec(ObservationKinds.Sensor, [a.Parameters.RequiredString("sensor")], size), a.Model.SensorAdr[sensor]);
    }

    /// <summary>A block the shared ObservationBuilder writes from the robot state; the simulator never calls Write.</summary>
    private sealed class RobotSuppliedTerm(ObservationTermSpec spec) : IObservationTerm
    {
        public ObservationTermSpec Spec { get; } = spec;

        public void Write(TermContext context, Span<float> into) =>
            throw new InvalidOperationException($"observation term '{Spec.Kind}' is built by the ObservationBuilder from the robot state");
    }

    /// <summary>Joint positions or velocities read from qpos/qvel; for joints a robot does not report (the builder handles the rest).</summary>
    private sealed class JointStateTerm(ObservationTermSpec spec, int[] addresses, bool velocity) : IObservationTerm
    {
        public ObservationTermSpec Spec { get; } = spec;

        public void Write(TermContext context, Span<float> into)
        {
            ReadOnlySpan<double> source = velocity ? context.Data.Qvel : context.Data.Qpos;
            for (int i = 0; i < addresses.Length; i++)
                into[i] = (float)source[addresses[i]];
        }
    }

    private sealed class BodyPositionTerm(ObservationTermSpec spec, int body) : IObservationTerm
    {
        public ObservationTermSpec Spec { get; } = spec;

        public void Write(TermContext context, Span<float> into)
        {
            ReadOnlySpan<double> xpos = context.Data.Xpos.Slice(3 * body, 3);
            for (int k = 0; k < 3; k++)
                into[k] = (float)xpos[k];
        }
    }

    private sealed class BodyOrientationTerm(ObservationTermSpec spec, int body) : IObservationTerm
    {
        public ObservationTermSpec Spec { get; } = spec;

        public void Write(TermContext context, Span<float> into) =>
            ImuMath.CanonicalQuaternion(context.Data.Xquat.Slice(4 * body, 4), into);
    }

    private sealed class SitePositionTerm(ObservationTermSpec spec, int site, int reference) : IObservationTerm
    {
        public ObservationTermSpec Spec { get; } = spec;

        public void Write(TermContext context, Span<float> into)
        {
            ReadOnlySpan<double> sites = context.Data.SiteXpos;
            for (int k = 0; k < 3; k++)
                into[k] = (float)(sites[3 * site + k] - (reference >= 0 ? sites[3 * reference + k] : 0));
        }
    }

    private sealed class SensorTerm(ObservationTermSpec spec, int address) : IObservationTerm
    {
        public ObservationTermSpec Spec { get; } = spec;

        public void Write(TermContext context, Span<float> into)
        {
            ReadOnlySpan<double> data = context.Data.SensorData.Slice(address, Spec.Size);
            for (int k = 0; k < data.Length; k++)
                into[k] = (float)data[k];
        }
    }
}
