using NetMQ;
using Robotics.SimBridge.Client;
using Robotics.SimBridge.Hosting;
using Robotics.SimBridge.Security;
using Robotics.SimBridge.Server;
using Robotics.Training.Configuration;
using Robotics.Training.Environments;
using Robotics.Training.Runner;
using static Robotics.Training.Tests.Runner.RunnerTestKit;

namespace Robotics.Training.Tests.Runner;

public sealed class BridgeTrainingTests : IDisposable
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)] // two groups taken as they arrive: the wait for any of them ends with the dead bridge's timeout
    public void Bridge_that_dies_during_training_is_restarted_and_the_run_goes_on(int groups)
    {
        var started = new List<LocalBridge>();
        LocalBridge Start()
        {
            var bridge = LocalBridge.StartInProcess(new SimEnvFactory(threads: 1));
            started.Add(bridge);
            return bridge;
        }

        var config = SmallConfig(totalSteps: 4 * 128) with { Task = "cartpole-balance", NumEnvs = 4, EnvGroups = groups };
        using var source = BridgeEnvironmentSource.Local(config.Task, count: 2, Start, options: new BridgeClientOptions { Timeout = TimeSpan.FromSeconds(1) }, groups: groups);
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

    [Fact]
    public void A_run_through_a_bridge_with_keys_learns_exactly_as_through_one_without()
    {
        string keys = TempRunDir();
        var bridgeKeys = KeyFiles.WriteNewPair(Path.Combine(keys, "bridge"));
        var trainerKeys = KeyFiles.WriteNewPair(Path.Combine(keys, "trainer"));
        var bridgeLog = new List<string>();
        using var secured = LocalBridge.StartInProcess(new SimEnvFactory(threads: 1), new BridgeServerOptions
        {
            Keys = new CurveServerKeys(bridgeKeys.Pair, [trainerKeys.Pair.PublicKey]),
            Log = line => { lock (bridgeLog) bridgeLog.Add(line); },
        });
        using var open = LocalBridge.StartInProcess(new SimEnvFactory(threads: 1));
        var config = SmallConfig(totalSteps: 4 * 128) with { Task = "cartpole-balance", NumEnvs = 4 };
        var withKeys = config with
        {
            Bridges = [secured.Endpoint],
            BridgeKeys = new BridgeKeysOptions { ServerKey = bridgeKeys.PublicFile, ClientKey = trainerKeys.SecretFile },
        };

        string securedRun = TempRunDir(), openRun = TempRunDir();
        using (var source = EnvironmentChoice.For(withKeys, [], inProcess: false, () => throw new InvalidOperationException("no local bridges here")))
        {
            Assert.Equal(4, new TrainingRunner(withKeys, securedRun, source).Train(new Quiet(), resume: false).Iterations);
        }

        using (var source = EnvironmentChoice.For(config with { Bridges = [open.Endpoint] }, [], inProcess: false, () => throw new InvalidOperationException()))
        {
            new TrainingRunner(config, openRun, source).Train(new Quiet(), resume: false);
        }

        Assert.Contains(bridgeLog, line => line.Contains($"with key {trainerKeys.Pair.PublicKeyZ85}"));
        foreach (string metric in new[] { "charts/episode_return_mean", "eval/return_mean", "losses/policy_loss", "losses/value_loss", "losses/approx_kl" })
        {
            Assert.Equal(Column(openRun, metric), Column(securedRun, metric));
        }
    }

    [Fact]
    public void A_missing_client_key_file_is_one_line_naming_the_option_and_the_fix()
    {
        var options = new BridgeKeysOptions { ServerKey = "r$]?G5O}bKhM?emC%9YjTR?kWN-cTl1&]RpI:m+f", ClientKey = "/nonexistent/trainer.key" };

        var error = Assert.Throws<Robotics.SimBridge.BridgeException>(() => EnvironmentChoice.RemoteOptions(options));

        Assert.Equal("client key (bridge_keys.client_key, --client-key) /nonexistent/trainer.key does not exist; make a pair with `robotics keys --out NAME`", error.Message);
    }

    private static List<string> Column(string runDir, string name)
    {
        var lines = File.ReadAllLines(new Robotics.Training.Checkpoints.RunFolder(runDir).Metrics);
        int index = Array.IndexOf(lines[0].Split(','), name);
        Assert.True(index >= 0, $"metrics.csv has no column {name}");
        return lines.Skip(1).Select(line => line.Split(',')[index]).ToList();
    }

    public void Dispose() => NetMQConfig.Cleanup(block: false);
}
