namespace Robotics.Sim.Terms;

/// <summary>
/// exp(-|c - v|² / σ²) over the chosen components of a velocity command c (forward and sideways in m/s,
/// yaw rate in rad/s) and the body's velocity v in its heading frame (yaw only, so pitching and rolling
/// do not mix the axes). Naming a subset under <c>components</c> splits tracking into separate terms,
/// e.g. linear and yaw with weights of their own, as legged-robot tasks usually do.
/// Also measures, per component, the absolute tracking error at every step of the episode: its mean
/// (<c>tracking/NAME_error</c>) and 95th percentile (<c>tracking/NAME_error_p95</c>).
/// </summary>
internal sealed class VelocityTrackingTerm : IRewardTerm, IStatefulTerm, IEpisodeStatistics
{
    private static readonly string[] Axes = ["forward", "sideways", "yaw rate"];

    private readonly int body;
    private readonly int root;
    private readonly int offset;
    private readonly int[] components;
    private readonly string[] names;
    private readonly double sigma;
    private readonly double[][] errors;
    private int steps;

    private VelocityTrackingTerm(int body, int root, int offset, int[] components, string[] names, double sigma, int maxSteps)
    {
        this.body = body;
        this.root = root;
        this.offset = offset;
        this.components = components;
        this.names = names;
        this.sigma = sigma;
        errors = components.Select(_ => new double[maxSteps]).ToArray();
    }

    public static IRewardTerm Create(TermArgs a)
    {
        a.Definition.AllowParameters("body", "command", "sigma", "components");
        int body = a.Body();
        var (name, offset, size) = a.Command();
        if (size > 3)
            throw a.Error("command", $"a velocity command has 1 to 3 components ({string.Join(", ", Axes)}); this one has {size}");
        double sigma = a.Double("sigma", 0.25);
        if (!(sigma > 0))
            throw a.Error("sigma", "expected a positive tolerance");

        var command = a.Task.Commands[a.Task.CommandIndex(name)];
        int[] chosen = Enumerable.Range(0, size).ToArray();
        if (a.Parameters.Optional("components") is { } listed)
        {
            var wanted = listed.AsStringList();
            if (wanted.Count == 0 || wanted.Distinct(StringComparer.Ordinal).Count() != wanted.Count)
                throw listed.Error($"expected distinct names of command '{name}' components: {string.Join(", ", command.Components)}");
            chosen = new int[wanted.Count];
            for (int i = 0; i < wanted.Count; i++)
            {
                chosen[i] = IndexOf(command.Components, wanted[i]);
                if (chosen[i] < 0)
                    throw listed.Error($"command '{name}' has no component '{wanted[i]}'; it has: {string.Join(", ", command.Components)}");
            }
        }
        string[] names = chosen.Select(k => command.Components[k]).ToArray();
        return new VelocityTrackingTerm(body, a.Model.BodyRootid[body], offset, chosen, names, sigma, a.Task.MaxEpisodeSteps);
    }

    public double Compute(TermContext context)
    {
        var data = context.Data;
        Span<double> v = stackalloc double[3];
        BodyVelocity.Linear(data, body, root, v);
        ReadOnlySpan<double> r = data.Xmat.Slice(9 * body, 9);
        double yaw = Math.Atan2(r[3], r[0]);
        double c = Math.Cos(yaw), s = Math.Sin(yaw);
        Span<double> velocity = [c * v[0] + s * v[1], -s * v[0] + c * v[1], BodyVelocity.YawRate(data, body)];
        double error = 0;
        bool record = steps < errors[0].Length;
        for (int i = 0; i < components.Length; i++)
        {
            int k = components[i];
            double d = context.Command[offset + k] - velocity[k];
            error += d * d;
            if (record)
                errors[i][steps] = Math.Abs(d);
        }
        if (record)
            steps++;
        return Math.Exp(-error / (sigma * sigma));
    }

    public void OnEpisodeStart(TermContext context) => steps = 0;

    public void BeforeControlStep(TermContext context)
    {
    }

    public void WriteEpisodeStats(IDictionary<string, double> into)
    {
        if (steps == 0)
            return;
        for (int i = 0; i < components.Length; i++)
        {
            var episode = errors[i].AsSpan(0, steps);
            double sum = 0;
            foreach (double e in episode)
                sum += e;
            into[$"tracking/{names[i]}_error"] = sum / steps;
            into[$"tracking/{names[i]}_error_p95"] = Percentile(episode, 0.95);
        }
    }

    /// <summary>The nearest-rank percentile of <paramref name="values"/> (copied, then sorted).</summary>
    internal static double Percentile(ReadOnlySpan<double> values, double fraction)
    {
        double[] sorted = values.ToArray();
        Array.Sort(sorted);
        int rank = (int)Math.Ceiling(fraction * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    private static int IndexOf(IReadOnlyList<string> list, string name)
    {
        for (int i = 0; i < list.Count; i++)
        {
            if (string.Equals(list[i], name, StringComparison.Ordinal))
                return i;
        }
        return -1;
    }
}
