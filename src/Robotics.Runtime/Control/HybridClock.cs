using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Robotics.Runtime.Control;

/// <summary>
/// Waits for absolute <see cref="Stopwatch"/> deadlines by sleeping while the deadline is far (freeing
/// the core) and spinning for the last <see cref="SpinTicks"/>, where the scheduler's wake-up jitter
/// would otherwise show up as period error.
/// </summary>
public sealed partial class HybridClock : IControlClock
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

    private static void Sleep(long ticks)
    {
        var nanoseconds = ticks * 1_000_000_000 / Stopwatch.Frequency;
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            // Thread.Sleep rounds to whole milliseconds, too coarse for a 1 ms period; nanosleep is not.
            var request = new TimeSpec { Seconds = nanoseconds / 1_000_000_000, Nanoseconds = nanoseconds % 1_000_000_000 };
            nanosleep(in request, IntPtr.Zero);
        }
        else if (nanoseconds >= 2_000_000)
        {
            Thread.Sleep((int)(nanoseconds / 1_000_000) - 1);
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", SetLastError = false)]
    private static partial int nanosleep(in TimeSpec request, IntPtr remaining);
}
