using Robotics.Contract.Environments;
using Robotics.Sim.Environments;
using Robotics.Sim.Randomization;
using Robotics.Sim.Tasks;
using Robotics.Training.Runner;

namespace Robotics.Training.Robustness;

/// <summary>One grid cell: the swept values (in axis order), the evaluation there and the share of episodes that survived.</summary>
public sealed record SweepCell(IReadOnlyList<double> Values, EvaluationResult Result, double SuccessRate);

/// <summary>A policy's evaluations over a grid of perturbations, cells in row-major order (the first axis slowest).</summary>
public sealed record SweepResult(IReadOnlyList<SweepAxis> Axes, IReadOnlyList<SweepCell> Cells, int Episodes, int Seed);

/// <summary>
/// Evaluates a deterministic policy across a grid of perturbations of the physics and of the robot interface:
/// every cell runs the same seeded episodes with only the swept values set in the task's randomization (all
/// other randomization off), so cells differ by the perturbation alone. An episode succeeds when it reaches
/// the task's time limit without terminating (no fall) and without a physics reset.
/// </summary>
public static class RobustnessSweep
{
    public const int MaxCells = 400;

    /// <param name="evaluate">Runs the policy on the environments given, one episode each, from the seed given.</param>
    public static SweepResult Run(LoadedTask task, IReadOnlyList<SweepAxis> axes, int episodes, int seed, int threads,
        Func<IVectorEnv, int, EvaluationResult> evaluate, Action<SweepCell>? progress = null)
    {
        if (axes.Count is < 1 or > 2)
            throw new ArgumentException("a sweep has one or two axes (--sweep KEY=LOW:HIGH:N, once or twice)");
        if (axes.Select(a => a.Key).Distinct().Count() != axes.Count)
            throw new ArgumentException("each --sweep key may be given once");
        int cellCount = axes.Aggregate(1, (n, a) => n * a.Values.Count);
        if (cellCount > MaxCells)
            throw new ArgumentException($"the sweep has {cellCount} cells; at most {MaxCells} (fewer values per axis)");

        int maxSteps = task.TaskDefinition.MaxEpisodeSteps;
        var cells = new List<SweepCell>(cellCount);
        using var env = new SimVectorEnv(task, episodes, new SimVectorEnvOptions { Threads = threads, Randomize = false });
        foreach (var values in Grid(axes))
        {
            env.Randomization = ConfigFor(task, axes, values);
            var result = evaluate(env, seed);
            int survived = result.EpisodeList.Count(e => !e.Terminated && e.Length >= maxSteps);
            var cell = new SweepCell(values, result, (double)survived / result.EpisodeList.Count);
            cells.Add(cell);
            progress?.Invoke(cell);
        }
        return new SweepResult(axes, cells, episodes, seed);
    }

    /// <summary>The randomization that fixes each axis at its value in <paramref name="values"/>, all else off.</summary>
    public static RandomizationConfig ConfigFor(LoadedTask task, IReadOnlyList<SweepAxis> axes, IReadOnlyList<double> values)
    {
        var lines = axes.Select((axis, i) => axis.YamlFor(values[i])).Where(line => line.Length > 0).ToArray();
        var config = lines.Length == 0 ? new RandomizationConfig() : RandomizationConfig.ParseYaml(string.Join('\n', lines), "--sweep");
        config.Validate(task.NominalModel, "--sweep");
        return config;
    }

    private static IEnumerable<double[]> Grid(IReadOnlyList<SweepAxis> axes)
    {
        if (axes.Count == 1)
        {
            foreach (double v in axes[0].Values)
                yield return [v];
            yield break;
        }
        foreach (double a in axes[0].Values)
        {
            foreach (double b in axes[1].Values)
                yield return [a, b];
        }
    }
}
