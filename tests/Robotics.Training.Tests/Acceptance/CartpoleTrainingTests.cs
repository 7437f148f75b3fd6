using Robotics.Training.Algorithms.Ppo;
using Robotics.Training.Configuration;
using Robotics.Training.Environments;
using Robotics.Training.Monitoring;
using Robotics.Training.Runner;
using Xunit.Abstractions;
using static Robotics.Training.Tests.Runner.RunnerTestKit;

namespace Robotics.Training.Tests.Acceptance;

/// <summary>The acceptance run of issue 3: PPO balances the cartpole from the shipped config.</summary>
public sealed class CartpoleTrainingTests(ITestOutputHelper output)
{
    [Fact]
    public void Cartpole_balance_reaches_90_percent_of_the_maximum_return_within_100k_steps()
    {
        var config = TrainingConfigFile.Load(Path.Combine(RepositoryRoot(), "configs/training/cartpole-balance-ppo.yaml")) with
        {
            Monitoring = new MonitoringOptions { Tensorboard = false, Progress = "never" },
        };
        Assert.True(config.TotalSteps <= 100_000);
        string dir = Path.Combine(Path.GetTempPath(), "robotics-training-tests", "cartpole-" + Guid.NewGuid().ToString("N"));
        using var source = SimEnvironmentSource.ForTask(config.Task, threads: 1);

        var log = new List<string>();
        var result = new TrainingRunner(config, dir, source)
        {
            OnUpdate = m => log.Add(ProgressView.Summary(m)),
        }.Train(new Quiet(output), resume: false);

        foreach (var line in log) output.WriteLine(line);
        const double maximum = 1000;   // 1 per step, 1000 steps (configs/tasks/cartpole-balance.yaml)
        Assert.True(result.EnvSteps <= 100_000 + config.NumEnvs * config.Options<PpoOptions>().RolloutSteps);
        Assert.True(result.BestEvalReturn >= 0.9 * maximum,
            $"best mean deterministic return {result.BestEvalReturn:F1} within {result.EnvSteps} steps");

        // The run's policy (its best checkpoint) holds up on episodes it was never evaluated on.
        var (_, _, again) = CheckpointEvaluation.Run(dir, episodes: 16, seed: 4242);
        output.WriteLine($"best checkpoint on 16 new episodes: {again.MeanReturn:F1} ± {again.StdReturn:F1}");
        Assert.True(again.MeanReturn >= 0.9 * maximum, $"best checkpoint returns {again.MeanReturn:F1} on new episodes");
    }

    private sealed class Quiet(ITestOutputHelper output) : IProgressReporter
    {
        public void Update(long steps, MetricRecord record) { }
        public void Message(string text) => output.WriteLine(text);
    }
}
