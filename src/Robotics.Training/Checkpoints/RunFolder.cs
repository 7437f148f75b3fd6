namespace Robotics.Training.Checkpoints;

/// <summary>
/// The layout of a run folder:
///   config.yaml          the resolved config the run uses
///   metrics.csv          one row per update
///   events/              TensorBoard event files
///   train.log            events worth reading: recoveries, skipped updates, replaced bridges
///   checkpoints/last.ckpt, best.ckpt, update_NNNNNN.ckpt
///   policy.ckpt          the final policy (written at the end)
///   plots/               PNGs from `robotics plot`
/// </summary>
public sealed class RunFolder
{
    public RunFolder(string root) => Root = Path.GetFullPath(root);

    public string Root { get; }
    public string Config => Path.Combine(Root, "config.yaml");
    public string Metrics => Path.Combine(Root, "metrics.csv");
    public string Events => Path.Combine(Root, "events");
    public string Log => Path.Combine(Root, "train.log");
    public string Checkpoints => Path.Combine(Root, "checkpoints");
    public string LastCheckpoint => Path.Combine(Checkpoints, "last" + CheckpointFiles.Extension);
    public string BestCheckpoint => Path.Combine(Checkpoints, "best" + CheckpointFiles.Extension);
    public string FinalPolicy => Path.Combine(Root, "policy" + CheckpointFiles.Extension);
    public string Plots => Path.Combine(Root, "plots");

    public string NumberedCheckpoint(int iteration) => Path.Combine(Checkpoints, $"update_{iteration:D6}{CheckpointFiles.Extension}");

    /// <summary>The numbered checkpoints in update order, then the final policy when the run has finished.</summary>
    public IReadOnlyList<string> CheckpointsInOrder()
    {
        var numbered = Directory.Exists(Checkpoints)
            ? Directory.GetFiles(Checkpoints, "update_*" + CheckpointFiles.Extension).Order(StringComparer.Ordinal).ToList()
            : [];
        if (File.Exists(FinalPolicy)) numbered.Add(FinalPolicy);
        return numbered;
    }

    /// <summary>The numbered checkpoints, the latest update first.</summary>
    public IReadOnlyList<string> NumberedCheckpointsNewestFirst() =>
        Directory.Exists(Checkpoints)
            ? Directory.GetFiles(Checkpoints, "update_*" + CheckpointFiles.Extension).OrderDescending(StringComparer.Ordinal).ToList()
            : [];

    public void Create()
    {
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(Checkpoints);
    }
}
