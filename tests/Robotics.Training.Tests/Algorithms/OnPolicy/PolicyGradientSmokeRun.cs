using Robotics.Training.Algorithms.Trpo;
using Robotics.Training.Algorithms.Reinforce;
using Robotics.Training.Algorithms.A2c;
using System.Globalization;
using Robotics.Training.Configuration;
using Robotics.Training.Environments;
using Robotics.Training.Monitoring;
using Robotics.Training.Runner;
using Xunit.Abstractions;
using static Robotics.Training.Tests.Runner.RunnerTestKit;

namespace Robotics.Training.Tests.Algorithms.OnPolicy;

/// <summary>
/// A short cartpole-balance run from a shipped config (REINFORCE, A2C, TRPO share it), writing one line per update
/// to the test output: the deterministic return must reach 250 (a quarter of the maximum, 1000) and triple the
/// untrained policy's.
/// </summary>
internal static class PolicyGradientSmokeRun
{
    public static void AssertImproves(string configName, long totalSteps, ITestOutputHelper output)
    {
        var (firstReturn, evaluations, result) = Train(configName, totalSteps, output);

        output.WriteLine($"first training return {firstReturn:F1}; evaluations: {string.Join(", ", evaluations.Select(e => e.ToString("F1")))}");
        Assert.True(evaluations.Count >= 4, $"only {evaluations.Count} evaluations");
        Assert.True(evaluations.Max() >= 250, $"best mean deterministic return {evaluations.Max():F1} after {result.EnvSteps} steps");
        Assert.True(evaluations.Max() >= 3 * firstReturn, $"best {evaluations.Max():F1} against {firstReturn:F1} of the untrained policy");
    }

    // Returns the mean training return of the first update (the untrained policy) and the deterministic evaluations in order.
    private static (double FirstReturn, List<double> Evaluations, TrainingResult Result) Train(string configName, long totalSteps, ITestOutputHelper output)
    {
        var config = TrainingConfigFile.Load(Path.Combine(RepositoryRoot(), "configs/training", configName)) with
        {
            TotalSteps = totalSteps,
            Monitoring = new MonitoringOptions { Tensorboard = false, Progress = "never" },
            Evaluation = new EvaluationOptions { EveryUpdates = 0 },
        };
        int stepsPerUpdate = config.Algorithm switch
        {
            "reinforce" => config.Options<ReinforceOptions>().RolloutSteps,
            "a2c" => config.Options<A2cOptions>().RolloutSteps,
            "trpo" => config.Options<TrpoOptions>().RolloutSteps,
            _ => throw new ArgumentException($"not a policy-gradient config: {config.Algorithm}"),
        } * config.NumEnvs;
        // Evaluate about eight times over the run, and never recover: the test looks at the learning itself.
        config = config with
        {
            Evaluation = new EvaluationOptions { EveryUpdates = (int)Math.Max(1, totalSteps / stepsPerUpdate / 8), Episodes = 8, CollapsePatience = 0 },
        };

        string dir = Path.Combine(Path.GetTempPath(), "robotics-training-tests", config.Algorithm + "-" + Guid.NewGuid().ToString("N"));
        using var source = SimEnvironmentSource.ForTask(config.Task, threads: 1);
        var evaluations = new List<double>();
        double firstReturn = double.NaN;
        var result = new TrainingRunner(config, dir, source)
        {
            OnUpdate = m =>
            {
                if (double.IsNaN(firstReturn)) firstReturn = m.GetOrNaN("charts/episode_return_mean");
                if (m.TryGet("eval/return_mean", out double eval) && double.IsFinite(eval)) evaluations.Add(eval);
                output.WriteLine(Summary(m));
            },
        }.Train(new Quiet(output), resume: false);
        return (firstReturn, evaluations, result);
    }

    private static string Summary(MetricRecord m) => string.Create(CultureInfo.InvariantCulture,
        $"update {m.GetOrNaN("iteration"),5:F0}  steps {m.GetOrNaN("charts/global_step"),7:F0}  " +
        $"return {m.GetOrNaN("charts/episode_return_mean"),7:F1}  eval {m.GetOrNaN("eval/return_mean"),7:F1}  " +
        $"pg {m.GetOrNaN("losses/policy_loss"),8:F4}  v {m.GetOrNaN("losses/value_loss"),8:F3}  kl {m.GetOrNaN("losses/approx_kl"),8:F5}  " +
        $"ls {m.GetOrNaN("trpo/line_search_steps"),3:F0}  logstd {m.GetOrNaN("policy/log_std_mean"),6:F2}  ev {m.GetOrNaN("losses/explained_variance"),6:F2}  wall {m.GetOrNaN("perf/wall_seconds"),6:F1}");

    private sealed class Quiet(ITestOutputHelper output) : IProgressReporter
    {
        public void Update(long steps, MetricRecord record) { }
        public void Message(string text) => output.WriteLine(text);
    }
}
