namespace Robotics.Sim.Terms;

/// <summary>
/// The built-in reward terms. Each gives a raw value per control step; the task's reward is the sum of
/// weight × value. Penalties are positive values meant for negative weights.
/// </summary>
public static class RewardTerms
{
    public static void Register(TermRegistry registry)
    {
        registry.AddReward("alive", a => { a.Definition.AllowParameters(); return new Alive(); });
        registry.AddReward("upright", a => { a.Definition.AllowParameters("body"); return new Upright(a.Body()); });
        registry.AddReward("height", a =>
        {
            a.Definition.AllowParameters("body", "target");
            return new Height(a.Body(), a.RequiredDouble("target", "the target height of the body, m"));
        });
        registry.AddReward("forward_velocity", ForwardVelocity);
        registry.AddReward("site_distance", SiteDistance);
        registry.AddReward("site_proximity", SiteProximity);
        registry.AddReward("velocity_tracking", VelocityTrackingTerm.Create);
        registry.AddReward("action_magnitude", a => { a.Definition.AllowParameters(); return new ActionMagnitude(); });
        registry.AddReward("action_rate", a => { a.Definition.AllowParameters(); return new ActionRate(); });
        registry.AddReward("joint_limit", JointLimit);
        registry.AddReward("joint_velocity", JointVelocity);
    }

    private static IRewardTerm ForwardVelocity(TermArgs a)
    {
        a.Definition.AllowParameters("body", "axis", "max");
        int body = a.Body();
        double[] axis = Axis(a);
        double max = a.Double("max", double.PositiveInfinity);
        if (!(max > 0))
            throw a.Error("max", "expected a positive speed cap in m/s");
        return new ForwardVelocityTerm(body, a.Model.BodyRootid[body], axis, max);
    }

    private static double[] Axis(TermArgs a)
    {
        var value = a.Parameters.Optional("axis");
        if (value is null)
            return [1, 0, 0];
        if (value.IsScalar)
        {
            return value.AsString() switch
            {
                "x" => [1, 0, 0],
                "y" => [0, 1, 0],
                "z" => [0, 0, 1],
                var other => throw value.Error($"expected x, y, z or a direction [x, y, z], found '{other}'"),
            };
        }
        var v = value.AsDoubleList(3);
        double n = Math.Sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        if (!(n > 0) || !double.IsFinite(n))
            throw value.Error("expected a non-zero finite direction");
        return [v[0] / n, v[1] / n, v[2] / n];
    }

    private static IRewardTerm SiteDistance(TermArgs a)
    {
        a.Definition.AllowParameters("sites");
        var (first, second) = SitePair(a);
        return new SiteDistanceTerm(first, second);
    }

    private static IRewardTerm SiteProximity(TermArgs a)
    {
        a.Definition.AllowParameters("sites", "sigma", "radius");
        var (first, second) = SitePair(a);
        double sigma = a.RequiredDouble("sigma", "the distance in m over which the reward falls by a factor e");
        if (!(sigma > 0))
            throw a.Error("sigma", "expected a positive distance in m");
        double radius = a.Double("radius", 0);
        if (!(radius >= 0) || !double.IsFinite(radius))
            throw a.Error("radius", "expected a distance in m, 0 or more, within which the reward is 1");
        return new SiteProximityTerm(first, second, sigma, radius);
    }

    private static (int First, int Second) SitePair(TermArgs a)
    {
        var value = a.Parameters.Required("sites", "the two sites [a, b] whose distance is measured");
        var items = value.AsList();
        if (items.Count != 2)
            throw value.Error($"expected two site names [a, b], found {items.Count}");
        return (a.SiteNamed(items[0]), a.SiteNamed(items[1]));
    }

    private static IRewardTerm JointVelocity(TermArgs a)
    {
        a.Definition.AllowParameters("joints");
        var names = a.JointNames();
        var dofs = new int[names.Count];
        for (int i = 0; i < names.Count; i++)
            dofs[i] = a.Model.JntDofadr[a.Joint(names[i], "joints")];
        return new JointVelocityTerm(dofs);
    }

    private static IRewardTerm JointLimit(TermArgs a)
    {
        a.Definition.AllowParameters("margin");
        double margin = a.Double("margin", 1.0);
        if (!(margin > 0 && margin <= 1))
            throw a.Error("margin", "expected the fraction (0, 1] of each joint's range that is free of penalty");
        var joints = a.Robot.Joints;
        var low = new double[joints.Count];
        var high = new double[joints.Count];
        for (int i = 0; i < joints.Count; i++)
        {
            double centre = 0.5 * (joints[i].PositionMin + joints[i].PositionMax);
            double half = 0.5 * (joints[i].PositionMax - joints[i].PositionMin) * margin;
            low[i] = double.IsFinite(half) ? centre - half : double.NegativeInfinity;
            high[i] = double.IsFinite(half) ? centre + half : double.PositiveInfinity;
        }
        return new JointLimitTerm(low, high);
    }

    /// <summary>1 at every step.</summary>
    private sealed class Alive : IRewardTerm
    {
        public double Compute(TermContext context) => 1;
    }

    /// <summary>(1 + cos θ) / 2 where θ is the angle between the body's z axis and the world's: 1 upright, 0 upside down.</summary>
    private sealed class Upright(int body) : IRewardTerm
    {
        public double Compute(TermContext context) => 0.5 * (1 + context.Data.Xmat[9 * body + 8]);
    }

    /// <summary>(z - target)², m²: the squared height error of the body's frame.</summary>
    private sealed class Height(int body, double target) : IRewardTerm
    {
        public double Compute(TermContext context)
        {
            double error = context.Data.Xpos[3 * body + 2] - target;
            return error * error;
        }
    }

    /// <summary>Velocity of the body frame's origin along the axis (world), m/s, capped at max.</summary>
    private sealed class ForwardVelocityTerm(int body, int root, double[] axis, double max) : IRewardTerm
    {
        public double Compute(TermContext context)
        {
            Span<double> v = stackalloc double[3];
            BodyVelocity.Linear(context.Data, body, root, v);
            return Math.Min(v[0] * axis[0] + v[1] * axis[1] + v[2] * axis[2], max);
        }
    }

    /// <summary>Distance between two sites, m.</summary>
    private sealed class SiteDistanceTerm(int a, int b) : IRewardTerm
    {
        public double Compute(TermContext context)
        {
            ReadOnlySpan<double> x = context.Data.SiteXpos;
            double dx = x[3 * a] - x[3 * b], dy = x[3 * a + 1] - x[3 * b + 1], dz = x[3 * a + 2] - x[3 * b + 2];
            return Math.Sqrt(dx * dx + dy * dy + dz * dz);
        }
    }

    /// <summary>
    /// 1 within <c>radius</c> of each other, else exp(-(d - radius) / σ): a reward that stays steep near
    /// the goal, where a linear distance penalty changes by only millimetres' worth per step.
    /// </summary>
    private sealed class SiteProximityTerm(int a, int b, double sigma, double radius) : IRewardTerm
    {
        private readonly SiteDistanceTerm distance = new(a, b);

        public double Compute(TermContext context) =>
            Math.Exp(-Math.Max(0, distance.Compute(context) - radius) / sigma);
    }

    /// <summary>
    /// exp(-e / σ²), where e sums the squared errors between the command (forward m/s, sideways m/s,
    /// yaw rate rad/s, as many as it has) and the body's velocity in its heading frame (world axes
    /// turned by the body's yaw).
    /// </summary>
    /// <summary>Σ ā², the squared normalized action.</summary>
    private sealed class ActionMagnitude : IRewardTerm
    {
        public double Compute(TermContext context)
        {
            double sum = 0;
            foreach (double a in context.NormalizedAction)
                sum += a * a;
            return sum;
        }
    }

    /// <summary>Σ (ā_t - ā_{t-1})², the squared change of the normalized action.</summary>
    private sealed class ActionRate : IRewardTerm
    {
        public double Compute(TermContext context)
        {
            var now = context.NormalizedAction;
            var before = context.PreviousNormalizedAction;
            double sum = 0;
            for (int i = 0; i < now.Length; i++)
            {
                double d = now[i] - before[i];
                sum += d * d;
            }
            return sum;
        }
    }

    /// <summary>Σ q̇², the squared joint velocities (m²/s² or rad²/s²), for a penalty that makes a robot settle.</summary>
    private sealed class JointVelocityTerm(int[] dofs) : IRewardTerm
    {
        public double Compute(TermContext context)
        {
            var qvel = context.Data.Qvel;
            double sum = 0;
            foreach (int dof in dofs)
                sum += qvel[dof] * qvel[dof];
            return sum;
        }
    }

    /// <summary>Σ how far each robot joint is beyond the penalty-free part of its range (m or rad).</summary>
    private sealed class JointLimitTerm(double[] low, double[] high) : IRewardTerm
    {
        public double Compute(TermContext context)
        {
            var q = context.State.JointPositions;
            double sum = 0;
            for (int i = 0; i < q.Length; i++)
                sum += Math.Max(0, low[i] - q[i]) + Math.Max(0, q[i] - high[i]);
            return sum;
        }
    }
}
