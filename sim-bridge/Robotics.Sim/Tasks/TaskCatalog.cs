using Robotics.Contract;
using Robotics.Contract.Config;
using Robotics.Contract.Definitions;

namespace Robotics.Sim.Tasks;

/// <summary>
/// Finds robot and task files by name: robots/NAME.yaml and tasks/NAME.yaml along the <see cref="ConfigSearchPath"/>
/// (the folders in ROBOTICS_CONFIG_DIR, then the built-in configs folder). A value ending in .yaml or .yml, or
/// containing a path separator, is a file path instead.
/// </summary>
public static class TaskCatalog
{
    public const string ConfigDirVariable = ConfigSearchPath.Variable;

    /// <summary>Loads, checks and builds a task by name or path.</summary>
    public static LoadedTask Load(string nameOrPath, Terms.TermRegistry? terms = null)
    {
        string file = ResolveFile(nameOrPath, "tasks", "task");
        var task = TaskDefinition.Load(file);
        var robot = RobotDefinition.Load(ResolveRobotOfTask(task));
        return LoadedTask.Create(robot, task, terms);
    }

    /// <summary>Loads a robot by name or path and checks it against its MJCF.</summary>
    public static LoadedRobot LoadRobot(string nameOrPath) =>
        LoadedRobot.Create(RobotDefinition.Load(ResolveFile(nameOrPath, "robots", "robot")));

    /// <summary>Task names along the search path, sorted; empty when there is none.</summary>
    public static IReadOnlyList<string> KnownTasks() => ConfigSearchPath.FromEnvironment().Names("tasks");

    /// <summary>Robot names along the search path, sorted; empty when there is none.</summary>
    public static IReadOnlyList<string> KnownRobots() => ConfigSearchPath.FromEnvironment().Names("robots");

    /// <summary>Every task file along the search path with its name (the first of each name), in search order.</summary>
    public static IReadOnlyList<(string Name, string File)> TaskFiles() => ConfigSearchPath.FromEnvironment().Files("tasks");

    /// <summary>True when <paramref name="name"/> is a task name along the search path.</summary>
    public static bool IsTask(string name) => !IsPath(name) && KnownTasks().Contains(name);

    /// <summary>True when <paramref name="name"/> is a robot name along the search path.</summary>
    public static bool IsRobot(string name) => !IsPath(name) && KnownRobots().Contains(name);

    /// <summary>The configuration folders searched, for errors about a name that was not found.</summary>
    public static string DescribeSearchPath() => ConfigSearchPath.FromEnvironment().Describe();

    /// <summary>The built-in configuration folder (holding robots/, tasks/ and training/), or null when none is found.</summary>
    public static string? BuiltInConfigDirectory() => ConfigSearchPath.BuiltInFolder();

    /// <summary>True when <paramref name="nameOrPath"/> names a file rather than a catalogue entry.</summary>
    public static bool IsPath(string nameOrPath) =>
        nameOrPath.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase)
        || nameOrPath.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)
        || nameOrPath.Contains('/') || nameOrPath.Contains(Path.DirectorySeparatorChar);

    /// <summary>
    /// Whether a .yaml file is a robot (it has <c>mjcf:</c>) or a task (it has <c>robot:</c>); anything else is
    /// a <see cref="ConfigException"/> saying what each kind needs.
    /// </summary>
    public static bool IsRobotFile(string path)
    {
        var root = ConfigFile.Load(path);
        if (root.Has("mjcf"))
            return true;
        if (root.Has("robot"))
            return false;
        throw new ConfigException(root.File, "(document)",
            "neither a robot file (it would have 'mjcf:') nor a task file (it would have 'robot:'); see docs/robots-and-tasks.md");
    }

    private static string ResolveFile(string nameOrPath, string folder, string what)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrPath);
        if (IsPath(nameOrPath))
        {
            string path = Path.GetFullPath(nameOrPath);
            return File.Exists(path) ? path : throw new ConfigException(path, "(file)", $"{what} file not found");
        }

        var search = ConfigSearchPath.FromEnvironment();
        if (search.Find(folder, nameOrPath) is { } file)
            return file;
        if (search.Folders.Count == 0)
            throw new ConfigException(nameOrPath, "(name)",
                $"no configuration folder found to look up {what} '{nameOrPath}': set {ConfigDirVariable} to a folder with robots/ and tasks/, run from inside the repository, or pass a path to a .yaml file");
        var names = search.Names(folder);
        throw new ConfigException(Path.Combine(search.Folders[0], folder, nameOrPath + ".yaml"), "(name)",
            $"unknown {what} '{nameOrPath}' (looked in {search.Describe(folder)}); known {what}s: {(names.Count == 0 ? "(none)" : string.Join(", ", names))}; or pass the path of a {what} .yaml file");
    }

    /// <summary>
    /// The robot file of a task: a path relative to the task file, or a name looked up first in a robots/
    /// folder beside the task's folder, then along the search path.
    /// </summary>
    private static string ResolveRobotOfTask(TaskDefinition task)
    {
        string taskDir = Path.GetDirectoryName(task.File)!;
        if (IsPath(task.Robot))
        {
            string path = Path.GetFullPath(task.Robot, taskDir);
            return File.Exists(path) ? path : throw task.RobotValue.Error($"robot file not found: {path}");
        }

        string sibling = Path.GetFullPath(Path.Combine(taskDir, "..", "robots", task.Robot + ".yaml"));
        if (File.Exists(sibling))
            return sibling;
        var search = ConfigSearchPath.FromEnvironment();
        if (search.Find("robots", task.Robot) is { } fromSearchPath)
            return fromSearchPath;
        var names = search.Names("robots");
        throw task.RobotValue.Error(
            $"unknown robot '{task.Robot}' (looked for {sibling}, then in {search.Describe("robots")}); known robots: {(names.Count == 0 ? "(none)" : string.Join(", ", names))}");
    }
}
