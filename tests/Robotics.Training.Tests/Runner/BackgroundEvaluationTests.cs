using NetMQ;
using Robotics.Contract;
using Robotics.SimBridge.Client;
using Robotics.SimBridge.Hosting;
using Robotics.SimBridge.Server;
using Robotics.Training.Checkpoints;
using Robotics.Training.Configuration;
using Robotics.Training.Environments;
using Robotics.Training.Monitoring;
using Robotics.Training.Runner;
using TorchSharp;
using static Robotics.Training.Tests.Runner.RunnerTestKit;

namespace Robotics.Training.Tests.Runner;

/// <summary>
/// evaluation.in_background: training goes on while a copy of the policy is evaluated; the numbers, the rows and the
/// checkpoints are those of a run that waits for each evaluation.
/// </summary>
public sealed class BackgroundEvaluationTests : IDisposable
{
    private static TrainingConfig Config(bool inBackground) => SmallConfig(totalSteps: 12 * 128, checkpointEvery: 6) with
    {
        Evaluation = new EvaluationOptions { EveryUpdates = 2, Episodes = 3, InBackground = inBackground },
    };

    [Fact]
    public void A_run_that_evaluates_in_the_background_has_every_number_and_checkpoint_of_one_that_waits()
    {
        var (waitedRows, waited) = Train(Config(inBackground: false));
        var (backgroundRows, background) = Train(Config(inBackground: true));

        Assert.Equal(12, waitedRows.Count);
        Assert.Equal(Enumerable.Range(1, 12), backgroundRows.Select(r => (int)r["iteration"]));
        for (int i = 0; i < waitedRows.Count; i++)
        {
            var names = waitedRows[i].Names.Where(n => !IsTiming(n)).ToList();
            Assert.Equal(names, backgroundRows[i].Names.Where(n => !IsTiming(n)));
            foreach (var name in names)
                Assert.True(waitedRows[i][name].Equals(backgroundRows[i][name]), $"update {i + 1}, {name}: {waitedRows[i][name]} vs {backgroundRows[i][name]}");
        }

        // Every other update was evaluated, in its own row; update 6 and 12 (checkpoints) wait, the others ran beside training.
        Assert.All(backgroundRows.Where(r => (int)r["iteration"] % 2 == 0), r => Assert.False(double.IsNaN(r.GetOrNaN("eval/return_mean"))));
        Assert.All(backgroundRows.Where(r => (int)r["iteration"] % 2 == 1), r => Assert.True(double.IsNaN(r.GetOrNaN("eval/return_mean"))));

        // best.ckpt holds the state of the update it evaluated, counters and torch's generator included; the
        // checkpoints differ only in the config they carry (its evaluation.in_background).
        var a = new RunFolder(waited);
        var b = new RunFolder(background);
        AssertSameState(a.BestCheckpoint, b.BestCheckpoint);
        AssertSameState(a.LastCheckpoint, b.LastCheckpoint);
        AssertSameState(a.FinalPolicy, b.FinalPolicy);
    }

    private static void AssertSameState(string expected, string actual)
    {
        var (headerA, _, algorithmA) = CheckpointFiles.Load(expected, torch.CPU);
        var (headerB, configB, algorithmB) = CheckpointFiles.Load(actual, torch.CPU);
        using (algorithmA)
        using (algorithmB)
        {
            Assert.True(configB.Evaluation.InBackground);
            Assert.Equal(headerA.Counters, headerB.Counters);
            Assert.Equal(headerA.TorchRngState, headerB.TorchRngState);
            Assert.Equal(CheckpointFiles.StateBytes(algorithmA), CheckpointFiles.StateBytes(algorithmB));
        }
    }

    [Fact]
    public void A_run_that_evaluates_in_the_background_resumes_exactly()
    {
        AssertResumeMatchesUninterrupted(Config(inBackground: true), stopAfter: 6, updates: 12, ResumeCompared);
    }

    [Fact]
    public void A_bridge_that_dies_while_an_evaluation_runs_beside_training_is_replaced_and_every_update_keeps_its_row()
    {
        var started = new List<LocalBridge>();
        LocalBridge Start()
        {
            var bridge = LocalBridge.StartInProcess(new SimEnvFactory(threads: 1));
            started.Add(bridge);
            return bridge;
        }

        var config = SmallConfig(totalSteps: 6 * 128, checkpointEvery: 100) with
        {
            Task = "cartpole-balance",
            Evaluation = new EvaluationOptions { EveryUpdates = 2, Episodes = 2, InBackground = true },
        };
        using var source = BridgeEnvironmentSource.Local(config.Task, count: 2, Start, options: new BridgeClientOptions { Timeout = TimeSpan.FromSeconds(1) });
        var quiet = new Quiet();
        var rows = new List<MetricRecord>();

        // The evaluation of update 2 starts beside update 3; the first bridge stops after update 3 learns, so update
        // 4's rollout fails and the bridges are replaced, after the evaluation has ended or failed on them.
        var result = new TrainingRunner(config, TempRunDir(), source)
        {
            OnUpdate = rows.Add,
            AfterLearn = (_, update) =>
            {
                if (update == 3) started[0].Dispose();
            },
        }.Train(quiet, resume: false);

        Assert.Equal(6, result.Iterations);
        Assert.Contains(quiet.Messages, m => m.Contains("environment failed during update 4") && m.Contains("replacing it"));
        Assert.Equal(Enumerable.Range(1, 6), rows.Select(r => (int)r["iteration"]));
        Assert.All(rows.Where(r => (int)r["iteration"] % 2 == 0), r => Assert.False(double.IsNaN(r.GetOrNaN("eval/return_mean")), string.Join(" | ", quiet.Messages)));
    }

    [Fact]
    public void Sac_is_refused_in_the_background_with_the_key_and_why()
    {
        var config = SmallConfig(totalSteps: 128) with { Algorithm = "sac", Evaluation = new EvaluationOptions { InBackground = true } };
        var e = Assert.Throws<ConfigException>(() => TrainingConfigFile.Validate(config, "run.yaml"));
        Assert.Contains("evaluation.in_background", e.Message);
        Assert.Contains("on-policy", e.Message);
    }

    [Fact]
    public void The_key_is_read_from_yaml()
    {
        string path = Path.Combine(TempRunDir(), "background.yaml");
        File.WriteAllText(path, "algorithm: ppo\ntask: cartpole-balance\nevaluation:\n  in_background: true\n");
        Assert.True(TrainingConfigFile.Load(path).Evaluation.InBackground);
    }

    private static (List<MetricRecord> Rows, string Dir) Train(TrainingConfig config)
    {
        var rows = new List<MetricRecord>();
        string dir = TempRunDir();
        new TrainingRunner(config, dir, PointMass()) { OnUpdate = rows.Add }.Train(new Quiet(), resume: false);
        return (rows, dir);
    }

    private static bool IsTiming(string name) =>
        name.StartsWith("perf/", StringComparison.Ordinal) || name is "charts/sps";

    public void Dispose() => NetMQConfig.Cleanup(block: false);
}
