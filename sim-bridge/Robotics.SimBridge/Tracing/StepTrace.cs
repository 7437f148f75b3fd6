using System.Diagnostics;
using System.Globalization;

namespace Robotics.SimBridge.Tracing;

/// <summary>
/// Optional timing of every Step request on both ends, for finding where a round trip's time goes: the client
/// writes when it sent a request, began waiting and had the reply; the bridge when it picked the request up,
/// started and ended the step and sent the reply. Rows are keyed by the client's routing identity and the request
/// id, so the two ends join; times are <see cref="Stopwatch"/> timestamps in nanoseconds (CLOCK_MONOTONIC on Linux:
/// comparable between processes of one machine). Off unless <see cref="Variable"/> names a folder (inherited by
/// the bridge processes a trainer starts) or <see cref="Enable"/> is called; when off it costs one check per step.
/// </summary>
public static class StepTrace
{
    /// <summary>The environment variable naming the folder that trace files go to (one file per process).</summary>
    public const string Variable = "ROBOTICS_STEP_TRACE";

    /// <summary>The first line of every trace file.</summary>
    public const string Header = "role,identity,request_id,t1_ns,t2_ns,t3_ns,t4_ns";

    private const int FlushEvery = 256;
    private static readonly Lock Gate = new();
    private static StreamWriter? writer;
    private static int unflushed;

    static StepTrace()
    {
        string? folder = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrEmpty(folder))
        {
            try
            {
                Enable(Path.Combine(folder, $"steps-{Environment.ProcessId}.csv"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"{Variable}: cannot write a step trace in {folder}: {e.Message}; tracing stays off");
            }
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) => Disable();
    }

    /// <summary>Whether rows are being written.</summary>
    public static bool Enabled { get; private set; }

    /// <summary>Writes rows to <paramref name="path"/> from now on (a file written before is flushed and closed).</summary>
    public static void Enable(string path)
    {
        lock (Gate)
        {
            CloseWriter();
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            writer = new StreamWriter(path, append: false) { AutoFlush = false };
            writer.WriteLine(Header);
            Enabled = true;
        }
    }

    /// <summary>Flushes and closes the trace file; rows are no longer written.</summary>
    public static void Disable()
    {
        lock (Gate)
        {
            Enabled = false;
            CloseWriter();
        }
    }

    /// <summary>The time now, in the trace's units.</summary>
    public static long Now() => Nanoseconds(Stopwatch.GetTimestamp());

    /// <summary>A client's Step: sent, began waiting for the reply, had the reply.</summary>
    public static void Client(ReadOnlySpan<byte> identity, uint requestId, long sent, long waitFrom, long received) =>
        Write("client", identity, requestId, sent, waitFrom, received, 0);

    /// <summary>A bridge's Step: picked up from the socket, step started, step ended, reply sent.</summary>
    public static void Bridge(ReadOnlySpan<byte> identity, uint requestId, long pickedUp, long stepStart, long stepEnd, long sent) =>
        Write("bridge", identity, requestId, pickedUp, stepStart, stepEnd, sent);

    /// <summary>Stopwatch ticks as nanoseconds.</summary>
    public static long Nanoseconds(long ticks) =>
        Stopwatch.Frequency == 1_000_000_000 ? ticks : (long)(ticks * (1e9 / Stopwatch.Frequency));

    private static void Write(string role, ReadOnlySpan<byte> identity, uint requestId, long t1, long t2, long t3, long t4)
    {
        string id = Convert.ToHexString(identity);
        lock (Gate)
        {
            if (writer is null)
                return;
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{role},{id},{requestId},{t1},{t2},{t3},{t4}"));
            if (++unflushed >= FlushEvery)
            {
                writer.Flush();
                unflushed = 0;
            }
        }
    }

    private static void CloseWriter()
    {
        writer?.Flush();
        writer?.Dispose();
        writer = null;
        unflushed = 0;
    }
}
