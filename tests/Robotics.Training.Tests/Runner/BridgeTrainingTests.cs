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

    public void Dispose() => NetMQConfig.Cleanup(block: false);
}
