using System.Diagnostics;
using Robotics.Contract.Timing;

namespace Robotics.Runtime.Control;

/// <summary>
/// Waits for absolute <see cref="Stopwatch"/> deadlines by sleeping while the deadline is far (freeing
/// the core) and spinning for the last <see cref="SpinTicks"/>, where the scheduler's wake-up jitter
/// would otherwise show up as period error.
/// </summary>
public sealed class HybridClock : IControlClock
{
    public HybridClock(TimeSpan spinWindow)
    {
        SpinTicks = (long)(spinWindow.TotalSeconds * Stopwatch.Frequency);
    }

    public long SpinTicks { get; }

    public long Frequency => Stopwatch.Frequency;

    public long Now => Stopwatch.GetTimestamp();

    public void WaitUntil(long deadline)
    {
        var sleepTicks = deadline - Stopwatch.GetTimestamp() - SpinTicks;
        if (sleepTicks > 0) Sleep(sleepTicks);
        while (Stopwatch.GetTimestamp() < deadline)
            Thread.SpinWait(8);
    }

    // Thread.Sleep rounds to whole milliseconds, too coarse for a 1 ms period; PreciseSleep is not where nanosleep exists.
    private static void Sleep(long ticks) => PreciseSleep.Sleep(ticks * 1_000_000_000 / Stopwatch.Frequency);
}
