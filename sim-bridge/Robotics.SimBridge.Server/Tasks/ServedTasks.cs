using Robotics.Sim.Tasks;
using Robotics.SimBridge.Server;

namespace Robotics.SimBridge.Tasks;

/// <summary>
/// The task files a bridge's operator offers: those in the folders given on its command line (in that order),
/// then the catalogue: the tasks/ folder of each folder in ROBOTICS_CONFIG_DIR, then the built-in configs/tasks.
/// A client names a task relative to these folders, never by an
/// arbitrary path: no absolute paths, no "..", only regular files (no FIFOs or devices), no symlink leading out
/// of its folder, and no file above <see cref="MaxFileBytes"/>.
/// </summary>
public sealed class ServedTasks
{
    /// <summary>Largest task file served; task files are a few kilobytes.</summary>
    public const long MaxFileBytes = 1 << 20;

    /// <summary>Longest task name a client may send.</summary>
    public const int MaxNameLength = 200;

    private readonly IReadOnlyList<string> folders;

    private ServedTasks(IReadOnlyList<string> folders)
    {
        this.folders = folders;
    }

    /// <summary>The folders searched, canonical and in order.</summary>
    public IReadOnlyList<string> Folders => folders;

    /// <summary>
    /// <paramref name="extraFolders"/> (each must exist) followed by the catalogue's tasks folders (<see cref="ConfigSearchPath"/>).
    /// Throws <see cref="BridgeException"/> naming a folder that cannot be served.
    /// </summary>
    public static ServedTasks From(IEnumerable<string> extraFolders)
    {
        var list = new List<string>();
        foreach (string folder in extraFolders)
        {
            string? real = UnixFiles.RealPath(Path.GetFullPath(folder));
            if (real is null || !Directory.Exists(real))
            {
                throw new BridgeException($"--tasks {folder}: no such folder; name a folder that holds task .yaml files");
            }

            list.Add(real);
        }

        foreach (string catalogue in ConfigSearchPath.FromEnvironment().Folders)
        {
            if (UnixFiles.RealPath(Path.Combine(catalogue, "tasks")) is { } tasks && Directory.Exists(tasks) && !list.Contains(tasks))
            {
                list.Add(tasks);
            }
        }

        return new ServedTasks(list);
    }

    /// <summary>Only the catalogue.</summary>
    public static ServedTasks CatalogueOnly() => From([]);

    /// <summary>
    /// The file a client's task name stands for: NAME, NAME.yaml or SUBFOLDER/NAME.yaml inside a served folder.
    /// Throws <see cref="TaskRefusedException"/> with a message that quotes at most a capped part of the name.
    /// </summary>
    public string Resolve(string? requested)
    {
        string name = CheckName(requested);
        foreach (string folder in folders)
        {
            string? real = UnixFiles.RealPath(Path.Combine(folder, name));
            if (real is null)
            {
                continue;
            }

            if (!IsInside(real, folder))
            {
                throw new TaskRefusedException($"task {ClientText.Quote(requested)} leads out of the folder that serves it (a symlink); the bridge serves only files inside its task folders");
            }

            if (!UnixFiles.IsRegularFile(real, out long size))
            {
                throw new TaskRefusedException($"task {ClientText.Quote(requested)} is not a regular file; the bridge serves only task .yaml files");
            }

            if (size > MaxFileBytes)
            {
                throw new TaskRefusedException($"task {ClientText.Quote(requested)} is {size} bytes, above the {MaxFileBytes}-byte limit for task files");
            }

            return real;
        }

        throw new TaskRefusedException($"this bridge offers no task {ClientText.Quote(requested)}; it serves {Describe()}");
    }

    /// <summary>The task names a client can use, for error messages and listings.</summary>
    public IReadOnlyList<string> Names() =>
        folders.SelectMany(folder => Directory.EnumerateFiles(folder, "*.yaml").Select(Path.GetFileNameWithoutExtension))
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToArray();

    private string Describe()
    {
        var names = Names();
        return names.Count == 0 ? "no tasks (start it with --tasks FOLDER)" : "these tasks: " + string.Join(", ", names.Take(40)) + (names.Count > 40 ? ", …" : "");
    }

    private static string CheckName(string? requested)
    {
        if (string.IsNullOrEmpty(requested) || requested.Length > MaxNameLength)
        {
            throw new TaskRefusedException($"a task name is 1 to {MaxNameLength} characters; got {(requested is null ? "none" : ClientText.Quote(requested))}");
        }

        if (requested.StartsWith('/'))
        {
            throw new TaskRefusedException($"task {ClientText.Quote(requested)} is an absolute path; name a task the bridge offers (NAME or FOLDER/NAME.yaml inside its task folders)");
        }

        foreach (string segment in requested.Split('/'))
        {
            if (segment.Length == 0 || segment == "." || segment == ".." || !segment.All(IsNameCharacter))
            {
                throw new TaskRefusedException(
                    $"task {ClientText.Quote(requested)} is not a task name; names are made of letters, digits, '.', '_' and '-', with '/' between folders, and no '..'");
            }
        }

        bool hasExtension = requested.EndsWith(".yaml", StringComparison.Ordinal) || requested.EndsWith(".yml", StringComparison.Ordinal);
        return hasExtension ? requested : requested + ".yaml";
    }

    private static bool IsNameCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-';

    private static bool IsInside(string path, string folder) =>
        path.StartsWith(folder.EndsWith('/') ? folder : folder + "/", StringComparison.Ordinal);
}

/// <summary>A client named a task this bridge does not offer; the message is safe to send back.</summary>
public sealed class TaskRefusedException(string message) : Exception(message);
