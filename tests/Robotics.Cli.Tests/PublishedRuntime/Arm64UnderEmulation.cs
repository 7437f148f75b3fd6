namespace Robotics.Cli.Tests.PublishedRuntime;

/// <summary>
/// Runs the published arm64 program on this x86-64 machine under user-mode emulation: Debian's qemu-aarch64-static
/// with the arm64 C libraries. ONNX Runtime reads /proc/cpuinfo to pick its kernels and crashes on an x86 one, so the
/// program runs in a private mount namespace of its own (unshare --mount) where an ARM cpuinfo is bind-mounted over
/// /proc/cpuinfo; nothing outside that process sees the change.
/// </summary>
internal static class Arm64UnderEmulation
{
    private const string Qemu = "/usr/bin/qemu-aarch64-static";
    private const string Libraries = "/usr/aarch64-linux-gnu";

    // A Cortex-A72 as the Linux kernel describes it.
    private const string ArmCpuInfo = """
        processor	: 0
        BogoMIPS	: 108.00
        Features	: fp asimd evtstrm aes pmull sha1 sha2 crc32 cpuid
        CPU implementer	: 0x41
        CPU architecture: 8
        CPU variant	: 0x0
        CPU part	: 0xd08
        CPU revision	: 3

        """;

    /// <summary>Why emulation cannot run here, or null when it can.</summary>
    public static string? Problem()
    {
        if (!File.Exists(Qemu)) return $"{Qemu} is missing: apt-get install qemu-user-static (build/ensure-prerequisites.sh installs it with 'emulate')";
        if (!File.Exists(Path.Combine(Libraries, "lib", "ld-linux-aarch64.so.1"))) return $"the arm64 C library is missing under {Libraries}: apt-get install libc6-arm64-cross libstdc++6-arm64-cross";
        if (!File.Exists("/usr/bin/unshare")) return "unshare is missing (util-linux)";
        return null;
    }

    /// <summary>Runs the arm64 <paramref name="executable"/> with <paramref name="arguments"/> under emulation.</summary>
    public static ProcessResult Run(string executable, IReadOnlyList<string> arguments, TimeSpan timeout)
    {
        var cpuinfo = Path.Combine(Path.GetTempPath(), $"robotics-arm-cpuinfo-{Environment.ProcessId}");
        File.WriteAllText(cpuinfo, ArmCpuInfo);
        try
        {
            // The script's own arguments are "$@": nothing of the user's reaches the shell unquoted.
            var script = $"mount --bind '{cpuinfo}' /proc/cpuinfo && exec {Qemu} -L {Libraries} \"$@\"";
            return PublishedRuntime.Run("unshare", ["--mount", "--propagation", "private", "sh", "-c", script, "arm64", executable, .. arguments], timeout);
        }
        finally
        {
            File.Delete(cpuinfo);
        }
    }
}
