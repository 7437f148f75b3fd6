using Robotics.Training.Checkpoints;
using Robotics.Training.Monitoring;
using Robotics.Training.Runner;
using static Robotics.Training.Tests.Runner.RunnerTestKit;

namespace Robotics.Training.Tests.Runner;

public sealed class ResumeTests
{
    [Fact]
    public void Resumed_run_matches_an_uninterrupted_one_step_for_step()
    {
        var config = SmallConfig(totalSteps: 6 * 128, checkpointEvery: 2);

        var (dirA, dirB) = AssertResumeMatchesUninterrupted(config, stopAfter: 4, updates: 6, ResumeCompared);

        var a = ExportablePolicyOf(dirA);
        var b = ExportablePolicyOf(dirB);
        for (int l = 0; l < a.Layers.Count; l++) Assert.Equal(a.Layers[l].Weight, b.Layers[l].Weight);
        Assert.Equal(a.ObsMean, b.ObsMean);
        Assert.Equal(7, MetricsCsv.Read(Path.Combine(dirB, "metrics.csv")).Count + 1);
    }

    [Fact]
    public void Checkpoint_write_replaces_the_file_atomically_and_leaves_no_temporary()
    {
        string dir = TempRunDir();
        new TrainingRunner(SmallConfig(totalSteps: 2 * 128), dir, PointMass()).Train(new Quiet(), resume: false);
        var folder = new RunFolder(dir);
        Assert.True(File.Exists(folder.LastCheckpoint));
        Assert.True(File.Exists(folder.FinalPolicy));
        Assert.True(File.Exists(folder.Config));
        Assert.Empty(Directory.GetFiles(folder.Checkpoints, "*.tmp"));
    }

    private static Robotics.Training.Policies.ExportablePolicy ExportablePolicyOf(string dir) =>
        CheckpointFiles.LoadExportable(new RunFolder(dir).LastCheckpoint);
}
