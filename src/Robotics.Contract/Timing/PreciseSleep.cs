using System.Runtime.InteropServices;

namespace Robotics.Contract.Timing;

/// <summary>
/// Sleeps for a duration finer than a millisecond where the system allows it: <c>Thread.Sleep</c> rounds to whole
/// milliseconds, nanosleep on Linux and macOS wakes within the kernel's timer slack (about 50 microseconds). Shared by
/// the control loop's clock and the delay proxy.
/// </summary>
public static partial class PreciseSleep
{
    /// <summary>
    /// Sleeps about <paramref name="nanoseconds"/>. Without nanosleep it sleeps whole milliseconds, one short of the
    /// duration (a sleep overshoots by up to about a millisecond), and not at all below 2 ms. Returns whether it slept.
    /// </summary>
    public static bool Sleep(long nanoseconds)
    {
        if (nanoseconds <= 0) return false;
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            var request = new TimeSpec { Seconds = nanoseconds / 1_000_000_000, Nanoseconds = nanoseconds % 1_000_000_000 };
            nanosleep(in request, IntPtr.Zero);
            return true;
        }

        if (nanoseconds < 2_000_000) return false;
        Thread.Sleep((int)(nanoseconds / 1_000_000) - 1);
        return true;
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
