namespace Robotics.Sim.Terms;

/// <summary>
/// The built-in termination terms. Each ends the episode as terminated; the time limit is not one of
/// them: it is the task's max_episode_steps and ends episodes as truncated.
/// </summary>
public static class TerminationTerms
{
    public static void Register(TermRegistry registry)
    {
        registry.AddTermination("height", Height);
        registry.AddTermination("tilt", Tilt);
        registry.AddTermination("joint_position", JointPosition);
    }

    private static ITerminationTerm Height(TermArgs a)
    {
        a.Definition.AllowParameters("body", "min", "max");
        int body = a.Body();
        var (min, max) = Bounds(a, "height of the body's frame, m");
        return new HeightTerm(body, min, max);
    }

    private static ITerminationTerm Tilt(TermArgs a)
    {
        a.Definition.AllowParameters("body", "max_angle");
        int body = a.Body();
        double max = a.RequiredDouble("max_angle", "the largest allowed angle between the body's z axis and the vertical, rad");
        if (!(max > 0 && max <= Math.PI))
            throw a.Error("max_angle", "expected an angle in (0, π] rad");
        return new TiltTerm(body, Math.Cos(max));
    }

    private static ITerminationTerm JointPosition(TermArgs a)
    {
        a.Definition.AllowParameters("joint", "min", "max");
        string name = a.Parameters.RequiredString("joint");
        int joint = a.Joint(name, "joint");
        var (min, max) = Bounds(a, "joint position, m or rad");
        return new JointPositionTerm(a.Model.JntQposadr[joint], min, max);
    }

    private static (double Min, double Max) Bounds(TermArgs a, string what)
    {
        double min = a.Double("min", double.NegativeInfinity);
        double max = a.Double("max", double.PositiveInfinity);
        if (double.IsNegativeInfinity(min) && double.IsPositiveInfinity(max))
            throw a.Error("min", $"expected 'min' and/or 'max' ({what})");
        if (min >= max)
            throw a.Error("min", "expected min < max");
        return (min, max);
    }

    /// <summary>The body's frame leaves [min, max] in height.</summary>
    private sealed class HeightTerm(int body, double min, double max) : ITerminationTerm
    {
        public bool IsMet(TermContext context)
        {
            double z = context.Data.Xpos[3 * body + 2];
            return z < min || z > max;
        }
    }

    /// <summary>The body's z axis leans more than the angle from the vertical.</summary>
    private sealed class TiltTerm(int body, double minCosine) : ITerminationTerm
    {
        public bool IsMet(TermContext context) => context.Data.Xmat[9 * body + 8] < minCosine;
    }

    /// <summary>A hinge or slide joint leaves [min, max].</summary>
    private sealed class JointPositionTerm(int address, double min, double max) : ITerminationTerm
    {
        public bool IsMet(TermContext context)
        {
            double q = context.Data.Qpos[address];
            return q < min || q > max;
        }
    }
}
