using Robotics.Training.Checkpoints;

namespace Robotics.Training.Tests.Runner;

public sealed class RunFolderTests
{
    [Fact]
    public void Checkpoints_in_order_are_the_numbered_ones_by_update_then_the_final_policy()
    {
        var folder = new RunFolder(Directory.CreateTempSubdirectory("run-folder").FullName);
        folder.Create();
        foreach (int update in new[] { 100, 50, 150 }) File.WriteAllText(folder.NumberedCheckpoint(update), "");
        File.WriteAllText(folder.LastCheckpoint, "");
        File.WriteAllText(folder.BestCheckpoint, "");
        File.WriteAllText(folder.FinalPolicy, "");

        Assert.Equal(["update_000050.ckpt", "update_000100.ckpt", "update_000150.ckpt", "policy.ckpt"], folder.CheckpointsInOrder().Select(Path.GetFileName));
    }

    [Fact]
    public void A_folder_without_checkpoints_has_none()
    {
        var folder = new RunFolder(Path.Combine(Path.GetTempPath(), $"no-run-{Guid.NewGuid():N}"));

        Assert.Empty(folder.CheckpointsInOrder());
    }
}
