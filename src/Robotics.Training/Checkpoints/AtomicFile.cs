namespace Robotics.Training.Checkpoints;

/// <summary>
/// Writes a file whole or not at all: into a temporary file beside it, flushed to disk, then renamed over it. A
/// write that fails (a full disk, a read-only folder) removes its temporary file and leaves the old file as it was.
/// </summary>
public static class AtomicFile
{
    public const string TemporarySuffix = ".tmp";

    /// <summary>Test hook: throws in place of the write of the file about to be renamed to <c>path</c>, as a full disk would.</summary>
    public static Func<string, Exception?>? FaultForTests { get; set; }

    public static void Write(string path, ReadOnlySpan<byte> contents)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        string temp = path + TemporarySuffix;
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                if (FaultForTests?.Invoke(path) is { } fault) throw fault;
                stream.Write(contents);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The folder may have become unwritable; the original error is the one to report.
        }
    }
}
