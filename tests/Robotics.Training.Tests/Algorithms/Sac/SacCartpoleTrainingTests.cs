using Robotics.Training.Tests.Runner;
using Robotics.Training.Configuration;
using Robotics.Training.Environments;
using Robotics.Training.Monitoring;
using Robotics.Training.Runner;
using Xunit.Abstractions;

namespace Robotics.Training.Tests.Algorithms.Sac;

/// <summary>SAC's acceptance run: it balances the cartpole from the shipped config, like PPO's.</summary>
public sealed class SacCartpoleTrainingTests(ITestOutputHelper output)
{
    [Fact]
    public void Sac_cartpole_balance_reaches_90_percent_of_the_maximum_return_from_the_shipped_config()
    {
        var config = TrainingConfigFile.Load(Path.Combine(RunnerTestKit.RepositoryRoot(), "configs/training/cartpole-balance-sac.yaml")) with
        {
            Monitoring = new MonitoringOptions { Tensorboard = false, Progress = "never" },
        };
        Assert.Equal("sac", config.Algorithm);
        Assert.True(config.TotalSteps <= 50_000);
        string dir = RunnerTestKit.TempRunDir();
        using var source = SimEnvironmentSource.ForTask(config.Task, threads: 1);

        var log = new List<string>();
        var result = new TrainingRunner(config, dir, source)
        {
            OnUpdate = m => log.Add(SacTestKit.Summary(m)),
        }.Train(new RunnerTestKit.Quiet(), resume: false);

        foreach (var line in log) output.WriteLine(line);
        const double maximum = 1000;   // 1 per step, 1000 steps (configs/tasks/cartpole-balance.yaml)
        Assert.NotNull(result.LastEvaluation);
        Assert.True(result.LastEvaluation!.MeanReturn >= 0.9 * maximum,
            $"mean deterministic return {result.LastEvaluation.MeanReturn:F1} after {result.EnvSteps} steps (best {result.BestEvalReturn:F1})");
    }
}
