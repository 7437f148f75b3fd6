using Robotics.Sim.Mujoco;

namespace Robotics.Sim.Terms;

/// <summary>
/// Reward terms for legged robots on flat ground, in the shape legged-robot trainers use (legged_gym):
/// penalties on the body motions that walking should not need, and a reward for taking real steps.
/// </summary>
public static class LocomotionRewardTerms
{
    public static void Register(TermRegistry registry)
    {
        registry.AddReward("vertical_velocity", a => { a.Definition.AllowParameters("body"); int b = a.Body(); return new VerticalVelocity(b, a.Model.BodyRootid[b]); });
        registry.AddReward("tilt_rate", a => { a.Definition.AllowParameters("body"); return new TiltRate(a.Body()); });
        registry.AddReward("feet_air_time", FeetAirTime);
    }

    private static IRewardTerm FeetAirTime(TermArgs a)
    {
        a.Definition.AllowParameters("feet", "target", "command", "min_command", "contact_height");
        var (names, geoms) = a.NamedList("feet", MjtObj.Geom, "the names of the feet's sphere geoms [a, b, ...]");
        for (int i = 0; i < geoms.Length; i++)
        {
            if ((MjtGeom)a.Model.GeomType[geoms[i]] != MjtGeom.Sphere)
                throw a.Parameters.Optional("feet")!.Error($"geom '{names[i]}' is not a sphere; feet_air_time measures a foot's height by its sphere's lowest point");
        }
        double target = a.RequiredDouble("target", "the swing time in s that a step should last at least");
        if (!(target > 0))
            throw a.Error("target", "expected a positive time in s");
        var (_, offset, size) = a.Command();
        double minCommand = a.Double("min_command", 0.1);
        double contactHeight = a.Double("contact_height", 0.005);
        if (!(contactHeight > 0))
            throw a.Error("contact_height", "expected a positive height in m");
        return new FeetAirTimeTerm(geoms, target, offset, Math.Min(size, 2), minCommand, contactHeight);
    }

    /// <summary>v_z², the body's vertical speed squared (bouncing).</summary>
    private sealed class VerticalVelocity(int body, int root) : IRewardTerm
    {
        public double Compute(TermContext context)
        {
            Span<double> v = stackalloc double[3];
            BodyVelocity.Linear(context.Data, body, root, v);
            return v[2] * v[2];
        }
    }

    /// <summary>ω_x² + ω_y² in the body's own axes: its roll and pitch rates squared (rocking).</summary>
    private sealed class TiltRate(int body) : IRewardTerm
    {
        public double Compute(TermContext context)
        {
            ReadOnlySpan<double> w = context.Data.Cvel.Slice(6 * body, 3);
            ReadOnlySpan<double> r = context.Data.Xmat.Slice(9 * body, 9);
            // Body axes are the columns of the row-major rotation: ω_body = Rᵀ ω_world.
            double x = r[0] * w[0] + r[3] * w[1] + r[6] * w[2];
            double y = r[1] * w[0] + r[4] * w[1] + r[7] * w[2];
            return x * x + y * y;
        }
    }

    /// <summary>
    /// Σ over feet touching down at this step of (swing time - target), while the commanded planar speed is
    /// at least min_command: long steps pay, shuffling costs (legged_gym's feet_air_time). A foot touches
    /// when its sphere's lowest point is within contact_height of the floor at z = 0 (flat ground only).
    /// </summary>
    private sealed class FeetAirTimeTerm(int[] geoms, double target, int offset, int planar, double minCommand, double contactHeight)
        : IRewardTerm, IStatefulTerm
    {
        private readonly double[] airTime = new double[geoms.Length];

        public double Compute(TermContext context)
        {
            double speed = 0;
            for (int k = 0; k < planar; k++)
                speed += context.Command[offset + k] * context.Command[offset + k];
            bool moving = Math.Sqrt(speed) >= minCommand;

            ReadOnlySpan<double> positions = context.Data.GeomXpos;
            ReadOnlySpan<double> sizes = context.Model.GeomSize;
            double reward = 0;
            for (int i = 0; i < geoms.Length; i++)
            {
                double lowest = positions[3 * geoms[i] + 2] - sizes[3 * geoms[i]];
                if (lowest <= contactHeight)
                {
                    if (airTime[i] > 0 && moving)
                        reward += airTime[i] - target;
                    airTime[i] = 0;
                }
                else
                {
                    airTime[i] += context.ControlDt;
                }
            }
            return reward;
        }

        public void OnEpisodeStart(TermContext context) => Array.Clear(airTime);

        public void BeforeControlStep(TermContext context)
        {
        }
    }
}
