using System.Text;

namespace Robotics.SimBridge.Tracing;

/// <summary>
/// Reads the rows running processes have added to their trace files since the last read, whole lines only. A
/// bridge flushes its rows in blocks (<see cref="StepTrace"/>), so its file may end in the middle of a row, and a
/// row cut after a digit would still parse, with a wrong time; such an end waits for the next read. A benchmark
/// that analyses cell after cell reads each file once in all instead of once per cell.
/// </summary>
public sealed class StepTraceTail
{
    private readonly Dictionary<string, long> offsets = new(StringComparer.Ordinal);

    /// <summary>The whole lines appended to <paramref name="path"/> since this tail last read it (all of them the first time).</summary>
    public IReadOnlyList<string> ReadNew(string path)
    {
        offsets.TryGetValue(path, out long offset);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (stream.Length < offset) offset = 0; // shorter than what was read: written anew, read from its start
        stream.Seek(offset, SeekOrigin.Begin);
        var bytes = new byte[stream.Length - offset];
        int read = 0;
        while (read < bytes.Length && stream.Read(bytes, read, bytes.Length - read) is var n and > 0) read += n;

        if (read == 0) return []; // nothing new, or the file was cut between its length and the read
        int end = Array.LastIndexOf(bytes, (byte)'\n', read - 1);
        if (end < 0) return [];
        offsets[path] = offset + end + 1;
        return Encoding.UTF8.GetString(bytes, 0, end).Split('\n').Select(l => l.TrimEnd('\r')).ToList();
    }
}
