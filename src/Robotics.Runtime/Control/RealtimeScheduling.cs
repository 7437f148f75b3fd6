using System.Runtime.InteropServices;

namespace Robotics.Runtime.Control;

/// <summary>
/// Puts the calling thread under the real-time FIFO scheduler on Linux, so that other processes on the
/// machine (builds, logging) cannot delay a control tick. Needs root or CAP_SYS_NICE; the kernel's
/// real-time throttling still leaves 5% of each second to everyone else.
/// </summary>
public static partial class RealtimeScheduling
{
    private const int SchedFifo = 1;

    /// <summary>Null when the calling thread now runs at <paramref name="priority"/> (1-99), otherwise why not.</summary>
    public static string? TryEnableForCurrentThread(int priority = 80)
    {
        if (!OperatingSystem.IsLinux()) return "real-time scheduling is only available on Linux";
        var parameter = new SchedParam { Priority = priority };
        if (sched_setscheduler(0, SchedFifo, in parameter) == 0) return null;
        var errno = Marshal.GetLastPInvokeError();
        return errno == 1
            ? "not permitted (run as root or grant CAP_SYS_NICE, e.g. setcap cap_sys_nice+ep)"
            : $"sched_setscheduler failed with errno {errno}";
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct SchedParam
    {
        public int Priority;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int sched_setscheduler(int pid, int policy, in SchedParam parameter);
}
