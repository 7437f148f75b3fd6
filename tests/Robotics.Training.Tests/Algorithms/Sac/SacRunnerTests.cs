using Robotics.Training.Algorithms.Sac;
using Robotics.Runtime.Policy;
using Robotics.Training.Checkpoints;
using Robotics.Training.Configuration;
using Robotics.Training.Export;
using Robotics.Training.Monitoring;
using Robotics.Training.Runner;
using static Robotics.Training.Tests.Runner.RunnerTestKit;

namespace Robotics.Training.Tests.Algorithms.Sac;

public sealed class SacRunnerTests
{
    private static readonly string[] Compared =
    [
        "charts/global_step", "losses/qf1_loss", "losses/qf2_loss", "losses/actor_loss", "losses/alpha_loss", "losses/alpha",
        "losses/entropy", "q/target_mean", "charts/episode_return_mean", "eval/return_mean", "charts/buffer_size",
    ];

    private static TrainingConfig Config(bool saveBuffer) => (SmallConfig(totalSteps: 6 * 64, checkpointEvery: 2) with { Algorithm = "sac" }).WithOptions(
        new SacOptions { StepsPerIteration = 16, BufferSize = 1000, LearningStarts = 64, BatchSize = 32, UpdatesPerStep = 0.25, SaveBuffer = saveBuffer });

    [Fact]
    public void Resumed_sac_run_with_its_buffer_matches_an_uninterrupted_one_step_for_step()
    {
        var config = Config(saveBuffer: true);
        var (dirA, dirB) = AssertResumeMatchesUninterrupted(config, stopAfter: 4, updates: 6, Compared);

        var a = CheckpointFiles.LoadExportable(new RunFolder(dirA).LastCheckpoint);
        var b = CheckpointFiles.LoadExportable(new RunFolder(dirB).LastCheckpoint);
        Assert.Equal("tanh", a.Squash);
        for (int l = 0; l < a.Layers.Count; l++) Assert.Equal(a.Layers[l].Weight, b.Layers[l].Weight);
    }

    [Fact]
    public void Checkpoint_without_the_buffer_is_smaller_and_resumes_with_an_empty_buffer()
    {
        string withBuffer = TempRunDir(), withoutBuffer = TempRunDir();
        new TrainingRunner(Config(saveBuffer: true), withBuffer, PointMass()) { StopAfterIterations = 2 }.Train(new Quiet(), resume: false);
        new TrainingRunner(Config(saveBuffer: false), withoutBuffer, PointMass()) { StopAfterIterations = 2 }.Train(new Quiet(), resume: false);
        Assert.True(new FileInfo(new RunFolder(withBuffer).LastCheckpoint).Length > new FileInfo(new RunFolder(withoutBuffer).LastCheckpoint).Length);

        var resumed = new List<MetricRecord>();
        new TrainingRunner(Config(saveBuffer: false), withoutBuffer, PointMass()) { StopAfterIterations = 1, OnUpdate = resumed.Add }.Train(new Quiet(), resume: true);

        // 64 fresh transitions: back to random actions until learning_starts.
        Assert.Equal(64, resumed[0]["charts/buffer_size"]);
        Assert.Equal(1, resumed[0]["charts/random_action_fraction"]);
    }

    [Fact]
    public void Trained_sac_run_exports_from_its_folder_and_the_runtime_reproduces_its_actions()
    {
        string dir = TempRunDir();
        new TrainingRunner(Config(saveBuffer: false), dir, PointMass()).Train(new Quiet(), resume: false);
        string onnxPath = Path.Combine(dir, "policy.onnx");

        // As `robotics export RUN_DIR` does: the run's policy (CheckpointFiles.Resolve), checked against SAC's TorchSharp forward.
        var report = CheckpointExport.Run(dir, onnxPath);

        Assert.Contains(report.Comparisons, c => c.Reference == "sac TorchSharp" && c.MaxAbsDifference <= 1e-5);
        Assert.Equal("sac", report.Metadata.Algorithm);
        using var onnx = OnnxPolicy.Load(onnxPath, batch: 1);
        var (_, _, algorithm) = CheckpointFiles.Load(CheckpointFiles.Resolve(dir), TorchSharp.torch.CPU);
        using (algorithm)
        {
            float[] observation = [0.7f, -0.3f];
            observation.CopyTo(onnx.Observation, 0);
            onnx.Run();
            Assert.Equal(algorithm.ActDeterministic(observation, 1)[0], onnx.Actions[0], 1e-5f);
        }
    }

    [Fact]
    public void Sac_section_of_a_config_is_read_and_checked()
    {
        var config = TrainingConfigFile.Parse("algorithm: sac\ntask: cartpole-balance\nsac:\n  buffer_size: 5000\n  updates_per_step: 0.25\n  target_entropy: -2\n", "test.yaml");
        Assert.Equal(5000, config.Options<SacOptions>().BufferSize);
        Assert.Equal(0.25, config.Options<SacOptions>().UpdatesPerStep);
        Assert.Equal(-2, config.Options<SacOptions>().SizesFor(numEnvs: 4, actionSize: 1).TargetEntropy);
        Assert.Equal(-3, new SacOptions().SizesFor(numEnvs: 4, actionSize: 3).TargetEntropy);

        var error = Assert.Throws<Robotics.Contract.ConfigException>(() =>
            TrainingConfigFile.Parse("algorithm: sac\ntask: cartpole-balance\nsac:\n  buffer_size: 100\n  batch_size: 32\n  learning_starts: 500\n", "bad.yaml"));
        Assert.Contains("sac.learning_starts", error.Message);
    }
}
