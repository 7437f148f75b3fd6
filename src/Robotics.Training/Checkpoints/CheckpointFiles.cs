using Robotics.Training.Policies;

namespace Robotics.Training.Checkpoints;

/// <summary>Where checkpoints live in a run folder and how to read one back.</summary>
public static class CheckpointFiles
{
    public static ExportablePolicy LoadExportable(string runDirOrCheckpoint) =>
        throw new NotImplementedException($"reading checkpoints is not available yet ({runDirOrCheckpoint})");
}
