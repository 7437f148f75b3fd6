using Robotics.Contract.Environments;
using Robotics.Training.Algorithms;

namespace Robotics.Training.Runner;

/// <summary>Return and length statistics of deterministic episodes.</summary>
public sealed record EvaluationResult(int Episodes, double MeanReturn, double StdReturn, double MeanLength, double StdLength, double MinReturn, double MaxReturn)
{
    /// <summary>The episodes themselves, with the task statistics the environment gave (e.g. final/distance).</summary>
    public IReadOnlyList<EpisodeRecord> EpisodeList { get; init; } = [];

    /// <summary>Mean of each task statistic over the episodes.</summary>
    public IReadOnlyDictionary<string, double> Stats { get; init; } = new Dictionary<string, double>();

    public static EvaluationResult From(IReadOnlyList<EpisodeRecord> episodes)
    {
        var returns = episodes.Select(e => e.Return).ToArray();
        var lengths = episodes.Select(e => (double)e.Length).ToArray();
        return new EvaluationResult(episodes.Count, returns.Average(), Std(returns), lengths.Average(), Std(lengths), returns.Min(), returns.Max())
        {
            EpisodeList = episodes,
            Stats = StatMeans(episodes),
        };
    }

    public static Dictionary<string, double> StatMeans(IEnumerable<EpisodeRecord> episodes) =>
        episodes.Where(e => e.Stats is not null)
            .SelectMany(e => e.Stats!)
            .GroupBy(kv => kv.Key)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Average(kv => kv.Value));

    private static double Std(double[] x)
    {
        double mean = x.Average();
        return Math.Sqrt(x.Sum(v => (v - mean) * (v - mean)) / x.Length);
    }
}

/// <summary>
/// Runs the deterministic policy (mean action, clipped, in robot units): one episode per environment,
/// each environment seeded from the evaluation seed, so evaluations are repeatable.
/// </summary>
public static class Evaluator
{
    /// <summary>An action source for evaluation: actions in robot units for a batch of observations.</summary>
    public delegate ReadOnlySpan<float> Act(float[] observations);

    public static EvaluationResult Run(IAlgorithm algorithm, IVectorEnv env, int seed) =>
        Run(env, seed, observations => algorithm.ActDeterministic(observations, env.Spec.NumEnvs));

    /// <summary>The first episode of every environment after a reset with <paramref name="seed"/>, acting with <paramref name="act"/>.</summary>
    public static EvaluationResult Run(IVectorEnv env, int seed, Act act)
    {
        var spec = env.Spec;
        var step = VectorStep.For(spec);
        env.Reset(seed, step);
        var first = new EpisodeRecord?[spec.NumEnvs];
        int done = 0;
        // A time limit ends every episode; the bound only guards against an environment without one.
        int maxSteps = spec.MaxEpisodeSteps > 0 ? spec.MaxEpisodeSteps + 1 : 100_000;
        for (int t = 0; t < maxSteps && done < spec.NumEnvs; t++)
        {
            env.Step(act(step.Observations), step);
            foreach (var episode in step.Episodes)
            {
                if (first[episode.Env] is not null) continue;
                first[episode.Env] = episode;
                done++;
            }
        }

        var episodes = first.Where(e => e is not null).Select(e => e!.Value).ToList();
        if (episodes.Count == 0)
            throw new InvalidOperationException($"no evaluation episode ended within {maxSteps} steps");
        return EvaluationResult.From(episodes);
    }
}
