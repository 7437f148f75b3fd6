using System.Globalization;

namespace Robotics.Runtime.Commands;

/// <summary>
/// A command fed while the robot runs, one line per update (<c>--command-live stdin</c>): comma-separated values in
/// contract order, or a JSON array of them, e.g. <c>0.4,0,0.1</c> or <c>[0.4, 0, 0.1]</c>, as a joystick bridge writes.
/// A reader thread parses lines and publishes each whole vector at once; the tick copies the newest one without
/// allocating or blocking. Bad lines (wrong count, not numbers, too long) are counted and ignored, keeping the
/// last good command; until the first good line the initial command applies.
/// </summary>
public sealed class LiveCommand : ICommandSource
{
    private const int MaxLineLength = 1024;

    private readonly TextReader input;
    private readonly Thread reader;
    private double[] latest;
    private long updates;
    private long rejected;

    /// <param name="input">Where lines arrive (standard input); read until it ends.</param>
    /// <param name="initial">The command before the first good line.</param>
    public LiveCommand(TextReader input, IReadOnlyList<double> initial)
    {
        this.input = input;
        latest = initial.ToArray();
        Size = latest.Length;
        reader = new Thread(ReadLines) { IsBackground = true, Name = "live command reader" };
        reader.Start();
    }

    public int Size { get; }

    /// <summary>Good lines applied so far.</summary>
    public long Updates => Interlocked.Read(ref updates);

    /// <summary>Lines ignored as malformed.</summary>
    public long Rejected => Interlocked.Read(ref rejected);

    /// <summary>Why the last rejected line was refused.</summary>
    public string? LastProblem { get; private set; }

    public void Read(double secondsSinceStart, Span<double> command) => Volatile.Read(ref latest).CopyTo(command);

    /// <summary>Parses one line into a command of <paramref name="size"/> values; null with <paramref name="problem"/> when it is not one.</summary>
    public static double[]? Parse(ReadOnlySpan<char> line, int size, out string? problem)
    {
        var text = line.Trim();
        if (text.StartsWith('[') && text.EndsWith(']')) text = text[1..^1];
        var values = new double[size];
        var count = 0;
        foreach (var range in text.Split(','))
        {
            var field = text[range].Trim();
            if (count == size)
            {
                problem = string.Create(CultureInfo.InvariantCulture, $"more than {size} values");
                return null;
            }

            if (!double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out values[count]) || !double.IsFinite(values[count]))
            {
                problem = $"'{field}' is not a finite number";
                return null;
            }

            count++;
        }

        problem = count == size ? null : string.Create(CultureInfo.InvariantCulture, $"{count} values where the policy reads {size}");
        return problem is null ? values : null;
    }

    private void ReadLines()
    {
        var buffer = new char[MaxLineLength];
        var length = 0;
        var overlong = false;
        try
        {
            int c;
            while ((c = input.Read()) >= 0)
            {
                if (c != '\n')
                {
                    if (length < buffer.Length) buffer[length++] = (char)c;
                    else overlong = true;
                    continue;
                }

                if (overlong) Reject($"a line longer than {MaxLineLength} characters");
                else if (length > 0) Apply(buffer.AsSpan(0, length));
                length = 0;
                overlong = false;
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The feed closed: the last good command stays.
        }
    }

    private void Apply(ReadOnlySpan<char> line)
    {
        var values = Parse(line, Size, out var problem);
        if (values is null)
        {
            Reject(problem!);
            return;
        }

        Volatile.Write(ref latest, values);
        Interlocked.Increment(ref updates);
    }

    private void Reject(string problem)
    {
        LastProblem = problem;
        Interlocked.Increment(ref rejected);
    }
}
