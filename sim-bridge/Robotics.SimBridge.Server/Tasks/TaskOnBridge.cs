using Robotics.Sim.Tasks;

namespace Robotics.SimBridge.Tasks;

/// <summary>
/// How a trainer names its config's task to a bridge. A catalogue name travels as it is; a task file travels as its
/// file name, and the bridge must serve the file's folder (the trainer's own local bridges get it with --tasks).
/// </summary>
public static class TaskOnBridge
{
    /// <summary>The name to send in Make: the task name, or the file name of a task file.</summary>
    public static string Name(string task) => IsFile(task) ? Path.GetFileName(task) : task;

    /// <summary>The folder a bridge must serve for <paramref name="task"/>; null for a catalogue name.</summary>
    public static string? Folder(string task) => IsFile(task) ? Path.GetDirectoryName(Path.GetFullPath(task)) : null;

    private static bool IsFile(string task) => TaskCatalog.IsPath(task);
}
