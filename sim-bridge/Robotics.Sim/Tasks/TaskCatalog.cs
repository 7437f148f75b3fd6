using Robotics.Contract;
using Robotics.Contract.Definitions;

namespace Robotics.Sim.Tasks;

/// <summary>
/// Finds robot and task files by name. Names resolve to configs/robots/NAME.yaml and
/// configs/tasks/NAME.yaml in the configuration folder: the one named by the environment variable
/// ROBOTICS_CONFIG_DIR, else the first "configs" folder holding a "tasks" folder found walking up from
/// the current directory, then from the program's directory. A value ending in .yaml or .yml, or
/// containing a path separator, is a file path instead.
/// </summary>
public static class TaskCatalog
{
    public const string ConfigDirVariable = "ROBOTICS_CONFIG_DIR";

    /// <summary>Loads, checks and builds a task by name or path.</summary>
    public static LoadedTask Load(string nameOrPath, Terms.TermRegistry? terms = null)
    {
        string file = ResolveFile(nameOrPath, "tasks", "task", KnownTasks);
        var task = TaskDefinition.Load(file);
        var robot = RobotDefinition.Load(ResolveRobotOfTask(task));
        return LoadedTask.Create(robot, task, terms);
    }

    /// <summary>Loads a robot by name or path and checks it against its MJCF.</summary>
    public static LoadedRobot LoadRobot(string nameOrPath) =>
        LoadedRobot.Create(RobotDefinition.Load(ResolveFile(nameOrPath, "robots", "robot", KnownRobots)));

    /// <summary>Task names in the configuration folder, sorted; empty when there is none.</summary>
    public static IReadOnlyList<string> KnownTasks() => NamesIn("tasks");

    /// <summary>Robot names in the configuration folder, sorted; empty when there is none.</summary>
    public static IReadOnlyList<string> KnownRobots() => NamesIn("robots");

    /// <summary>True when <paramref name="name"/> is a task in the configuration folder.</summary>
    public static bool IsTask(string name) => !IsPath(name) && KnownTasks().Contains(name);

    /// <summary>The configuration folder (holding robots/ and tasks/), or null when none is found.</summary>
    public static string? FindConfigDirectory()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable(ConfigDirVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
            return Path.GetFullPath(fromEnvironment);
        return SearchUp(Directory.GetCurrentDirectory()) ?? SearchUp(AppContext.BaseDirectory);
    }

    private static string? SearchUp(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "configs");
            if (Directory.Exists(Path.Combine(candidate, "tasks")))
                return candidate;
        }
        return null;
    }

    private static bool IsPath(string nameOrPath) =>
        nameOrPath.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase)
        || nameOrPath.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)
        || nameOrPath.Contains('/') || nameOrPath.Contains(Path.DirectorySeparatorChar);

    private static string ResolveFile(string nameOrPath, string folder, string what, Func<IReadOnlyList<string>> known)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrPath);
        if (IsPath(nameOrPath))
        {
            string path = Path.GetFullPath(nameOrPath);
            return File.Exists(path) ? path : throw new ConfigException(path, "(file)", $"{what} file not found");
        }

        string? configs = FindConfigDirectory();
        if (configs is null)
            throw new ConfigException(nameOrPath, "(name)",
                $"no configuration folder found to look up {what} '{nameOrPath}': set {ConfigDirVariable} to a folder with robots/ and tasks/, run from inside the repository, or pass a path to a .yaml file");
        string file = Path.Combine(configs, folder, nameOrPath + ".yaml");
        if (File.Exists(file))
            return file;
        var names = known();
        throw new ConfigException(file, "(name)",
            $"unknown {what} '{nameOrPath}'; known {what}s: {(names.Count == 0 ? "(none)" : string.Join(", ", names))}");
    }

    /// <summary>
    /// The robot file of a task: a path relative to the task file, or a name looked up first in a robots/
    /// folder beside the task's folder, then in the configuration folder.
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
        string? configs = FindConfigDirectory();
        string? fromCatalog = configs is null ? null : Path.Combine(configs, "robots", task.Robot + ".yaml");
        if (fromCatalog is not null && File.Exists(fromCatalog))
            return fromCatalog;
        var names = KnownRobots();
        throw task.RobotValue.Error(
            $"unknown robot '{task.Robot}' (looked for {sibling}{(fromCatalog is null ? "" : " and " + fromCatalog)}); known robots: {(names.Count == 0 ? "(none)" : string.Join(", ", names))}");
    }

    private static IReadOnlyList<string> NamesIn(string folder)
    {
        string? configs = FindConfigDirectory();
        if (configs is null || !Directory.Exists(Path.Combine(configs, folder)))
            return [];
        return Directory.EnumerateFiles(Path.Combine(configs, folder), "*.yaml")
            .Select(f => Path.GetFileNameWithoutExtension(f))
            .Order(StringComparer.Ordinal)
            .ToArray();
    }
}
