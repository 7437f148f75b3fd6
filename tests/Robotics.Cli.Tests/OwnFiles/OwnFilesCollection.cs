namespace Robotics.Cli.Tests.OwnFiles;

/// <summary>Commands run as processes on a user's own files: one at a time, since training and real-time runs share the CPU.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OwnFilesCollection
{
    public const string Name = "own robot and task files";
}
