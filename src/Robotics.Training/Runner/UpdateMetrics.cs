using Robotics.Contract.Environments;
using Robotics.Training.Monitoring;

namespace Robotics.Training.Runner;

/// <summary>The metrics an update adds beside the algorithm's own: its episodes and its timing.</summary>
internal static class UpdateMetrics
{
    public static void AddEpisodes(MetricRecord m, List<EpisodeRecord> episodes)
    {
        m["charts/episodes"] = episodes.Count;
        if (episodes.Count == 0)
        {
            foreach (var name in new[] { "mean", "median", "min", "max", "std" }) m[$"charts/episode_return_{name}"] = double.NaN;
            m["charts/episode_length_mean"] = double.NaN;
            return;
        }

        var returns = episodes.Select(e => e.Return).OrderBy(r => r).ToArray();
        double mean = returns.Average();
        m["charts/episode_return_mean"] = mean;
        m["charts/episode_return_median"] = returns.Length % 2 == 1 ? returns[returns.Length / 2] : 0.5 * (returns[returns.Length / 2 - 1] + returns[returns.Length / 2]);
        m["charts/episode_return_min"] = returns[0];
        m["charts/episode_return_max"] = returns[^1];
        m["charts/episode_return_std"] = Math.Sqrt(returns.Sum(r => (r - mean) * (r - mean)) / returns.Length);
        m["charts/episode_length_mean"] = episodes.Average(e => e.Length);
        foreach (var (name, statMean) in EvaluationResult.StatMeans(episodes)) m[$"episode/{name}"] = statMean;
    }

    public static void AddTiming(MetricRecord m, int steps, double collectSeconds, double learnSeconds, double wallSeconds)
    {
        m["charts/sps"] = steps / Math.Max(collectSeconds + learnSeconds, 1e-9);
        m["perf/collect_seconds"] = collectSeconds;
        m["perf/learn_seconds"] = learnSeconds;
        m["perf/learn_fraction"] = learnSeconds / Math.Max(collectSeconds + learnSeconds, 1e-9);
        m["perf/wall_seconds"] = wallSeconds;
        m["perf/memory_rss_mb"] = Environment.WorkingSet / 1048576.0;
        m["perf/managed_mb"] = GC.GetTotalMemory(false) / 1048576.0;
    }
}
