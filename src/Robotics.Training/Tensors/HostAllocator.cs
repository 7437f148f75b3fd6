using System.Runtime.InteropServices;

namespace Robotics.Training.Tensors;

/// <summary>
/// libtorch takes every CPU tensor from the C library's malloc. glibc's malloc hands blocks above a threshold back to
/// the kernel when they are freed and adjusts that threshold to what it sees freed; for a trainer that allocates and
/// frees the same megabyte-sized temporaries thousands of times per update, an unlucky history leaves a process that
/// gets fresh zeroed pages from the kernel for most of them. One 18.4M-step run spent its whole 50 minutes in that
/// state: 18,000 page faults per second against 3,800 for the same run resumed in a new process, the Adam step 5
/// times slower and learning twice as long (docs/benchmarks.md). Fixing both thresholds ends the adjustment: blocks
/// up to 32 MiB come from the heap, and up to 256 MiB of freed heap stays with the process for the next update.
/// </summary>
public static class HostAllocator
{
    private const int TrimThreshold = -1; // M_TRIM_THRESHOLD in glibc's malloc.h
    private const int MmapThreshold = -3; // M_MMAP_THRESHOLD

    private static readonly Lazy<bool> Kept = new(() =>
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            // 32 MiB is the largest mmap threshold glibc accepts on 64-bit systems.
            return mallopt(MmapThreshold, 32 << 20) == 1 && mallopt(TrimThreshold, 256 << 20) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false; // not glibc (musl has no mallopt): nothing to tune
        }
    });

    /// <summary>Fixes malloc's thresholds once per process; true where they were set (Linux with glibc).</summary>
    public static bool KeepFreedMemory() => Kept.Value;

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int parameter, int value);
}
