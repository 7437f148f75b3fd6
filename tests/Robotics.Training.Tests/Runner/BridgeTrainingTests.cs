using NetMQ;
using Robotics.SimBridge.Client;
using Robotics.SimBridge.Hosting;
using Robotics.SimBridge.Server;
using Robotics.Training.Environments;
using Robotics.Training.Runner;
using static Robotics.Training.Tests.Runner.RunnerTestKit;

namespace Robotics.Training.Tests.Runner;

public sealed class BridgeTrainingTests : IDisposable
{
    [Fact]
    public void Bridge_that_dies_during_training_is_restarted_and_the_run_goes_on()
    {
        var started = new List<LocalBridge>();
        LocalBridge Start()
        {
            var bridge = LocalBridge.StartInProcess(new SimEnvFactory(threads: 1));
            started.Add(bridge);
            return bridge;
        }

        var config = SmallConfig(totalSteps: 4 * 128) with { Task = "cartpole-balance", NumEnvs = 4 };
        using var source = BridgeEnvironmentSource.Local(config.Task, count: 2, Start, options: new BridgeClientOptions { Timeout = TimeSpan.FromSeconds(1) });
        var quiet = new Quiet();

        // When the first bridge is stopped after update 1, the second update's rollout fails, is discarded,
        // the bridges are restarted, and training finishes all four updates.
        var result = new TrainingRunner(config, TempRunDir(), source)
        {
            OnUpdate = m =>
            {
                if (m["iteration"] == 1) started[0].Dispose();
            },
        }.Train(quiet, resume: false);

        Assert.Equal(4, result.Iterations);
        Assert.Contains(quiet.Messages, m => m.Contains("environment failed during update 2") && m.Contains("replacing it"));
        Assert.True(started.Count >= 4, $"expected the 2 bridges to be restarted, {started.Count} were started");
    }

    [Fact]
    public void Five_environments_on_two_bridges_train_exactly_as_on_one()
    {
        // 5 over 2 bridges is 3 + 2; environment i is seeded seed + i wherever it runs, so the numbers are the
        // layout's business alone. Before, a count the bridges did not divide stopped the run with a stack trace.
        var config = SmallConfig(totalSteps: 5 * 128) with { Task = "cartpole-balance", NumEnvs = 5 };

        IReadOnlyList<Dictionary<string, double>> Losses(int bridges)
        {
            using var source = BridgeEnvironmentSource.Local(config.Task, count: bridges, () => LocalBridge.StartInProcess(new SimEnvFactory(threads: 1)));
            var losses = new List<Dictionary<string, double>>();
            new TrainingRunner(config, TempRunDir(), source)
            {
                OnUpdate = m => losses.Add(m.Names.Where(n => n.StartsWith("losses/", StringComparison.Ordinal) || n.StartsWith("charts/episode_return", StringComparison.Ordinal))
                    .ToDictionary(n => n, n => m[n])),
            }.Train(new Quiet(), resume: false);
            return losses;
        }

        var one = Losses(1);
        var two = Losses(2);

        Assert.True(one.Count >= 3, $"{one.Count} updates");
        Assert.Equal(one.Count, two.Count);
        Assert.Contains("losses/policy_loss", one[0].Keys);
        for (int u = 0; u < one.Count; u++)
            Assert.Equal(one[u].OrderBy(kv => kv.Key), two[u].OrderBy(kv => kv.Key));
    }

    public void Dispose() => NetMQConfig.Cleanup(block: false);
}
