namespace Robotics.Training.Monitoring;

/// <summary>The metrics of one update, by CleanRL-style namespaced names, in the order they were set.</summary>
public sealed class MetricRecord
{
    private readonly List<string> order = new();
    private readonly Dictionary<string, double> values = new();

    /// <summary>
    /// The metrics every update reports, in CSV column order, present (NaN when not measured this update)
    /// so that metrics.csv has the same columns from its first row on.
    /// </summary>
    public static readonly IReadOnlyList<string> Standard =
    [
        "iteration", "charts/global_step",
        "charts/episodes", "charts/episode_return_mean", "charts/episode_return_median", "charts/episode_return_min",
        "charts/episode_return_max", "charts/episode_return_std", "charts/episode_length_mean",
        "eval/return_mean", "eval/return_std", "eval/length_mean",
        "losses/policy_loss", "losses/value_loss", "losses/entropy", "losses/approx_kl", "losses/clipfrac",
        "losses/explained_variance", "losses/advantage_mean", "losses/advantage_std",
        "losses/grad_norm", "losses/grad_norm_clipped", "losses/epochs", "losses/minibatches",
        "losses/skipped_update", "losses/skipped_updates_total",
        "charts/learning_rate", "policy/log_std_mean", "policy/log_std_min", "policy/log_std_max", "policy/log_std_alarm",
        "charts/sps", "perf/collect_seconds", "perf/env_wait_seconds", "perf/learn_seconds", "perf/learn_fraction", "perf/wall_seconds",
        "perf/memory_rss_mb", "perf/managed_mb", "charts/recoveries", "env/physics_resets",
    ];

    /// <summary>A record with every <see cref="Standard"/> metric present and NaN.</summary>
    public static MetricRecord WithStandardNames()
    {
        var record = new MetricRecord();
        foreach (var name in Standard) record[name] = double.NaN;
        return record;
    }

    public IReadOnlyList<string> Names => order;

    public double this[string name]
    {
        get => values[name];
        set
        {
            if (!values.ContainsKey(name)) order.Add(name);
            values[name] = value;
        }
    }

    public bool TryGet(string name, out double value) => values.TryGetValue(name, out value);

    public double GetOrNaN(string name) => values.TryGetValue(name, out var v) ? v : double.NaN;
}
