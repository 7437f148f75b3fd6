using Robotics.Training.Algorithms.A2c;
using Robotics.Training.Algorithms.Reinforce;
using Robotics.Training.Algorithms.Trpo;
using Robotics.Training.Checkpoints;
using Robotics.Training.Configuration;
using Robotics.Training.Monitoring;
using Robotics.Training.Runner;
using static Robotics.Training.Tests.Runner.RunnerTestKit;

namespace Robotics.Training.Tests.Algorithms.OnPolicy;

/// <summary>REINFORCE, A2C and TRPO save everything they need (a resumed run continues exactly as an uninterrupted one) and export.</summary>
public sealed class PolicyGradientResumeTests
{
    private static readonly string[] Compared =
    [
        "charts/global_step", "losses/policy_loss", "losses/value_loss", "losses/approx_kl", "losses/entropy",
        "charts/episode_return_mean", "eval/return_mean", "charts/learning_rate", "trpo/line_search_steps", "trpo/cg_residual",
    ];

    [Theory]
    [InlineData("reinforce")]
    [InlineData("a2c")]
    [InlineData("trpo")]
    public void Resumed_run_matches_an_uninterrupted_one_step_for_step(string algorithm)
    {
        var config = (SmallConfig(totalSteps: 6 * 128, checkpointEvery: 2) with { Algorithm = algorithm })
            .WithOptions(new ReinforceOptions { RolloutSteps = 32, BaselineSteps = 2 })
            .WithOptions(new A2cOptions { RolloutSteps = 32, NSteps = 8 })
            .WithOptions(new TrpoOptions { RolloutSteps = 32, ValueEpochs = 2, ValueMinibatches = 4, CgIterations = 5 });

        var (dirA, dirB) = AssertResumeMatchesUninterrupted(config, stopAfter: 4, updates: 6, Compared);

        var a = CheckpointFiles.LoadExportable(new RunFolder(dirA).LastCheckpoint);
        var b = CheckpointFiles.LoadExportable(new RunFolder(dirB).LastCheckpoint);
        Assert.Equal(algorithm, a.Algorithm);
        Assert.Equal("clip", a.Squash);
        for (int l = 0; l < a.Layers.Count; l++) Assert.Equal(a.Layers[l].Weight, b.Layers[l].Weight);
        Assert.Equal(a.ObsMean, b.ObsMean);

        // The run exports like PPO's: ONNX Runtime reproduces the policy before the file is written.
        string onnx = Path.Combine(dirA, "policy.onnx");
        var report = Robotics.Training.Export.CheckpointExport.Run(dirA, onnx);
        Assert.True(File.Exists(onnx));
        Assert.NotEmpty(report.Comparisons);
    }

    [Fact]
    public void Trpo_reports_the_trust_region_figures_every_update()
    {
        var config = (SmallConfig(totalSteps: 2 * 128) with { Algorithm = "trpo" })
            .WithOptions(new TrpoOptions { RolloutSteps = 32, ValueEpochs = 2, ValueMinibatches = 4, MaxKl = 0.01 });
        var updates = new List<MetricRecord>();
        new TrainingRunner(config, TempRunDir(), PointMass()) { OnUpdate = updates.Add }.Train(new Quiet(), resume: false);

        Assert.Equal(2, updates.Count);
        foreach (var m in updates)
        {
            Assert.InRange(m["losses/kl"], 0, 0.01);
            Assert.InRange(m["trpo/line_search_steps"], 1, 10);
            Assert.True(m["trpo/surrogate_improvement"] >= 0);
            Assert.True(double.IsFinite(m["trpo/cg_residual"]) && m["trpo/cg_residual"] >= 0);
        }
    }
}
