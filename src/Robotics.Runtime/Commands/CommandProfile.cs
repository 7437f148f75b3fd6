using System.Globalization;

namespace Robotics.Runtime.Commands;

/// <summary>
/// A command that changes over the run, from a CSV file (<c>--command-file</c>): each row is a time in seconds since
/// driving began followed by the command values, times increasing. Between rows the values are interpolated linearly,
/// or held until the next row with <c>hold</c>; before the first row the first row applies, after the last the last.
/// </summary>
public sealed class CommandProfile : ICommandSource
{
    private readonly double[] times;
    private readonly double[] rows;
    private readonly bool hold;
    private int segment;

    private CommandProfile(double[] times, double[] rows, int size, bool hold)
    {
        this.times = times;
        this.rows = rows;
        this.hold = hold;
        Size = size;
    }

    public int Size { get; }

    /// <summary>Reads a profile; throws <see cref="FormatException"/> naming the file, line and what was expected.</summary>
    /// <param name="size">Command values the policy reads.</param>
    public static CommandProfile Load(string path, int size, bool hold)
    {
        if (!File.Exists(path)) throw new FormatException($"{path}: no such command file");
        var times = new List<double>();
        var rows = new List<double>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            var text = line.Trim();
            if (text.Length == 0 || text.StartsWith('#')) continue;
            var fields = text.Split(',', StringSplitOptions.TrimEntries);
            if (!double.TryParse(fields[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var time))
            {
                if (times.Count == 0 && lineNumber == 1) continue; // a header row
                throw new FormatException($"{path}:{lineNumber}: '{fields[0]}' is not a time in seconds");
            }

            if (fields.Length != size + 1)
                throw new FormatException(string.Create(CultureInfo.InvariantCulture,
                    $"{path}:{lineNumber}: {fields.Length - 1} command values, but the policy reads {size}; write time_s followed by {size} values"));
            if (!double.IsFinite(time) || (times.Count > 0 && time <= times[^1]))
                throw new FormatException($"{path}:{lineNumber}: time {fields[0]} must be finite and later than the row before");
            times.Add(time);
            for (int i = 1; i < fields.Length; i++)
            {
                if (!double.TryParse(fields[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
                    throw new FormatException($"{path}:{lineNumber}: '{fields[i]}' is not a finite number");
                rows.Add(value);
            }
        }

        if (times.Count == 0) throw new FormatException($"{path}: no rows; write lines of time_s,value1,value2,...");
        return new CommandProfile(times.ToArray(), rows.ToArray(), size, hold);
    }

    public void Read(double secondsSinceStart, Span<double> command)
    {
        // Time only moves forward in a run: walk from the segment used last.
        if (secondsSinceStart < times[segment]) segment = 0;
        while (segment + 1 < times.Length && times[segment + 1] <= secondsSinceStart) segment++;
        var from = rows.AsSpan(segment * Size, Size);
        if (hold || segment + 1 == times.Length || secondsSinceStart <= times[segment])
        {
            from.CopyTo(command);
            return;
        }

        var to = rows.AsSpan((segment + 1) * Size, Size);
        var t = (secondsSinceStart - times[segment]) / (times[segment + 1] - times[segment]);
        for (int i = 0; i < Size; i++) command[i] = from[i] + (to[i] - from[i]) * t;
    }
}
