using Robotics.SimBridge.Client;
using Robotics.SimBridge.Hosting;
using Robotics.SimBridge.Server;
using Robotics.Training.Environments;
using Robotics.Training.Monitoring;
using Robotics.Training.Runner;
using static Robotics.Training.Tests.Runner.RunnerTestKit;

namespace Robotics.Training.Tests.Runner;

/// <summary>Remote bridges that die, stay away and come back: the run goes on with those that answer.</summary>
public sealed class BridgeFleetTests
{
    private static readonly BridgeClientOptions ShortWaits = new() { Timeout = TimeSpan.FromSeconds(3), MakeTimeout = TimeSpan.FromSeconds(20) };

    [Fact]
    public void A_remote_bridge_that_dies_is_dropped_and_taken_back_in_when_it_answers_again()
    {
        // 5 environments on 2 bridges (3 + 2). Bridge 2 stops after update 1 and comes back on its address after
        // update 3; with a checkpoint every 2 updates it is asked at update 4 and taken in at update 6.
        var config = SmallConfig(totalSteps: 8 * 160) with { Task = "cartpole-balance", NumEnvs = 5 };
        var first = StartBridge();
        var second = StartBridge();
        string secondAddress = second.Endpoint;
        var bridgeLog = new List<string>();
        using var source = BridgeEnvironmentSource.Remote(config.Task, [first.Endpoint, secondAddress], options: ShortWaits, log: bridgeLog.Add);
        var quiet = new Quiet();
        try
        {
            var result = new TrainingRunner(config, TempRunDir(), source)
            {
                OnUpdate = m =>
                {
                    if (m["iteration"] == 1) second.Dispose();
                    if (m["iteration"] == 3) second = StartBridge(secondAddress);
                },
            }.Train(quiet, resume: false);

            Assert.Equal(8, result.Iterations);
            Assert.Contains(quiet.Messages, m => m.Contains("environment failed during update 2"));
            Assert.Contains(quiet.Messages, m => m.Contains($"environments replaced (1 of 2 remote bridges ({first.Endpoint}; not answering: {secondAddress}))"));
            Assert.Contains(bridgeLog, m => m.StartsWith($"{secondAddress} does not answer after a failure; training goes on with 1 of 2", StringComparison.Ordinal));
            Assert.Contains(bridgeLog, m => m.StartsWith($"{secondAddress} answers again", StringComparison.Ordinal));
            Assert.Contains(quiet.Messages, m => m.Contains($"environments now on 2 remote bridges ({first.Endpoint}, {secondAddress})"));
            Assert.Empty(source.Dropped);
        }
        finally
        {
            first.Dispose();
            second.Dispose();
        }
    }

    [Fact]
    public void A_run_resumed_without_one_of_its_bridges_goes_on_exactly_as_the_uninterrupted_run()
    {
        // Where an environment runs does not change what it simulates: a run stopped at update 2 and resumed on the
        // one bridge still answering reproduces, number for number, a run that kept both.
        var config = SmallConfig(totalSteps: 6 * 160) with { Task = "cartpole-balance", NumEnvs = 5 };
        var first = StartBridge();
        var second = StartBridge();
        try
        {
            var uninterrupted = new List<MetricRecord>();
            using (var both = BridgeEnvironmentSource.Remote(config.Task, [first.Endpoint, second.Endpoint], options: ShortWaits))
                new TrainingRunner(config, TempRunDir(), both) { OnUpdate = uninterrupted.Add }.Train(new Quiet(), resume: false);

            string run = TempRunDir();
            var resumed = new List<MetricRecord>();
            using (var both = BridgeEnvironmentSource.Remote(config.Task, [first.Endpoint, second.Endpoint], options: ShortWaits))
                new TrainingRunner(config, run, both) { StopAfterIterations = 2, OnUpdate = resumed.Add }.Train(new Quiet(), resume: false);

            second.Dispose();
            var bridgeLog = new List<string>();
            using (var survivors = BridgeEnvironmentSource.Remote(config.Task, [first.Endpoint, second.Endpoint], options: ShortWaits, log: bridgeLog.Add))
                new TrainingRunner(config, run, survivors) { OnUpdate = resumed.Add }.Train(new Quiet(), resume: true);

            Assert.Contains(bridgeLog, m => m.StartsWith($"{second.Endpoint} does not answer at the start; training goes on with 1 of 2", StringComparison.Ordinal));
            Assert.Equal(6, uninterrupted.Count);
            Assert.Equal(6, resumed.Count);
            string[] compared = ["losses/policy_loss", "losses/value_loss", "losses/approx_kl", "charts/episode_return_mean", "eval/return_mean"];
            for (int u = 0; u < 6; u++)
            {
                foreach (var name in compared)
                    Assert.True(uninterrupted[u].GetOrNaN(name).Equals(resumed[u].GetOrNaN(name)), $"update {u + 1}, {name}: {uninterrupted[u].GetOrNaN(name)} vs {resumed[u].GetOrNaN(name)}");
            }
        }
        finally
        {
            first.Dispose();
            second.Dispose();
        }
    }

    [Fact]
    public void A_fresh_run_still_refuses_a_bridge_that_does_not_answer()
    {
        // A bridge that is not there at the very start is more often a typing mistake than a lost host.
        var config = SmallConfig(totalSteps: 2 * 160) with { Task = "cartpole-balance", NumEnvs = 4 };
        var first = StartBridge();
        var gone = StartBridge();
        string goneAddress = gone.Endpoint;
        gone.Dispose();
        try
        {
            using var source = BridgeEnvironmentSource.Remote(config.Task, [first.Endpoint, goneAddress], options: ShortWaits);
            string run = Path.Combine(TempRunDir(), "run");
            var error = Assert.ThrowsAny<Exception>(() => new TrainingRunner(config, run, source).Train(new Quiet(), resume: false));
            Assert.True(error.Message.Contains(goneAddress), $"{error.Message} (first {first.Endpoint}, gone {goneAddress})");
            Assert.False(Directory.Exists(run));
        }
        finally
        {
            first.Dispose();
        }
    }

    private static LocalBridge StartBridge(string bind = "tcp://127.0.0.1:0") => LocalBridge.StartInProcess(new SimEnvFactory(threads: 1), bind: bind);
}
