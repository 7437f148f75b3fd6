using System.Runtime.InteropServices;

namespace Robotics.Training.Tensors;

/// <summary>
/// Which of libtorch's CPU kernels run. libtorch picks the widest vector extension the processor has, AVX-512 on
/// recent x86-64, for the few kernels it builds that way; the only one the trainer leans on is ELU's (through expm1).
/// On the 2-core VMs the project is measured on, that kernel runs 10 to 20 times slower than its own best whenever
/// its thread shares the cores with others, which a trainer's always does (bridges, the critic's thread): a training
/// process could spend half of its learning time in ELU for a whole run. The AVX2 kernel is 1.7 times slower at
/// its best and does not suffer so, and it gives the same numbers: 130 updates of the quadruped config, 85 columns,
/// 0 differences (docs/benchmarks.md, "The AVX-512 ELU under shared cores"). So the trainer asks for AVX2 kernels
/// unless the user chose (<c>ATEN_CPU_CAPABILITY=avx512</c> brings the wider ones back).
/// </summary>
public static class KernelChoice
{
    /// <summary>The variable libtorch reads, once, at its first CPU kernel.</summary>
    public const string Variable = "ATEN_CPU_CAPABILITY";

    private static readonly Lazy<bool> Chosen = new(() =>
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64) return false;
        try
        {
            // The process environment itself (setenv, overwrite 0: a value the user set stays): .NET's own
            // Environment.SetEnvironmentVariable on Linux changes only the runtime's copy, which libtorch never reads.
            return setenv(Variable, "avx2", 0) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    });

    /// <summary>
    /// Asks libtorch for its AVX2 kernels on x86-64 Linux, unless <see cref="Variable"/> is set already; call it before
    /// the first tensor. True where the variable is now in the process environment (the user's value or avx2).
    /// </summary>
    public static bool PreferAvx2() => Chosen.Value;

    /// <summary>What libtorch will read: the process environment's value of <see cref="Variable"/>, or null.</summary>
    public static string? Current() =>
        OperatingSystem.IsLinux() ? Marshal.PtrToStringUTF8(getenv(Variable)) : Environment.GetEnvironmentVariable(Variable);

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int setenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);

    [DllImport("libc", EntryPoint = "getenv")]
    private static extern IntPtr getenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name);
}
