namespace Robotics.Sim.Tasks;

/// <summary>
/// The folders robot and task names are looked up in, in order: each folder listed in ROBOTICS_CONFIG_DIR
/// (colon-separated, like PATH), then the built-in configuration folder. A folder holds robots/NAME.yaml and
/// tasks/NAME.yaml; the first folder that has a name wins, so a user's folder can add robots and tasks and
/// also shadow a built-in one, while every other built-in stays available.
/// </summary>
public sealed class ConfigSearchPath
{
    public const string Variable = "ROBOTICS_CONFIG_DIR";

    private ConfigSearchPath(IReadOnlyList<string> folders, IReadOnlyList<string> missing)
    {
        Folders = folders;
        Missing = missing;
    }

    /// <summary>The folders searched, first to last (existing ones only).</summary>
    public IReadOnlyList<string> Folders { get; }

    /// <summary>Folders named in the variable that do not exist; named in errors so that a typo is seen.</summary>
    public IReadOnlyList<string> Missing { get; }

    /// <summary>The search path of this process: <see cref="Variable"/>, then the built-in folder.</summary>
    public static ConfigSearchPath FromEnvironment() =>
        Parse(Environment.GetEnvironmentVariable(Variable), BuiltInFolder());

    /// <summary>The folders of <paramref name="variable"/> (colon-separated; empty entries are skipped), then <paramref name="builtIn"/>.</summary>
    public static ConfigSearchPath Parse(string? variable, string? builtIn)
    {
        var folders = new List<string>();
        var missing = new List<string>();
        var entries = (variable ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Append(builtIn).OfType<string>();
        foreach (string entry in entries)
        {
            string full = Path.GetFullPath(entry);
            if (!Directory.Exists(full))
                missing.Add(full);
            else if (!folders.Contains(full))
                folders.Add(full);
        }

        return new ConfigSearchPath(folders, missing);
    }

    /// <summary>
    /// The built-in configuration folder: the first "configs" folder holding a "tasks" folder found walking up from
    /// the current directory, then from the program's directory; null when there is none.
    /// </summary>
    public static string? BuiltInFolder() => SearchUp(Directory.GetCurrentDirectory()) ?? SearchUp(AppContext.BaseDirectory);

    /// <summary>The first <paramref name="kind"/>/NAME.yaml along the path (kind: "robots" or "tasks"), or null.</summary>
    public string? Find(string kind, string name) =>
        Folders.Select(folder => Path.Combine(folder, kind, name + ".yaml")).FirstOrDefault(File.Exists);

    /// <summary>Every name of <paramref name="kind"/> along the path, sorted, each once.</summary>
    public IReadOnlyList<string> Names(string kind) =>
        Files(kind).Select(f => f.Name).Order(StringComparer.Ordinal).ToArray();

    /// <summary>Each name of <paramref name="kind"/> with the file it resolves to (the first along the path), in path order.</summary>
    public IReadOnlyList<(string Name, string File)> Files(string kind)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var files = new List<(string, string)>();
        foreach (string folder in Folders.Select(f => Path.Combine(f, kind)).Where(Directory.Exists))
        {
            foreach (string file in Directory.EnumerateFiles(folder, "*.yaml").Order(StringComparer.Ordinal))
            {
                string name = Path.GetFileNameWithoutExtension(file);
                if (seen.Add(name))
                    files.Add((name, file));
            }
        }

        return files;
    }

    /// <summary>Where <paramref name="kind"/> files were looked for (robots/ or tasks/ of each folder; all folders when null), for error messages.</summary>
    public string Describe(string? kind = null)
    {
        var places = Folders.Select(f => kind is null ? f : Path.Combine(f, kind)).ToList();
        places.AddRange(Missing.Select(m => $"{m} (named in {Variable}, does not exist)"));
        return places.Count == 0 ? "no configuration folder" : string.Join(", ", places);
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
}
