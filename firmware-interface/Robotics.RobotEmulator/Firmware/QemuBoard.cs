using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Robotics.RobotEmulator.Firmware;

/// <summary>
/// A firmware image running in qemu-system-arm with its first two UARTs on pseudo-terminals: the host link
/// (serial0) and the hardware bus (serial1). QEMU is stopped with SIGKILL by its process id: a host that stops
/// reading blocks the emulated UART, and QEMU then ignores SIGTERM.
/// </summary>
public sealed partial class QemuBoard : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);

    private readonly Process process;
    private bool disposed;
    private bool exitSeen;

    private QemuBoard(Process process, string hostDevicePath, string busDevicePath)
    {
        this.process = process;
        ProcessId = process.Id;
        HostDevicePath = hostDevicePath;
        BusDevicePath = busDevicePath;
    }

    /// <summary>The pseudo-terminal of the firmware's host UART: what the runtime opens.</summary>
    public string HostDevicePath { get; }

    /// <summary>The pseudo-terminal of the firmware's hardware bus UART: where the plant answers.</summary>
    public string BusDevicePath { get; }

    public int ProcessId { get; }

    public bool HasExited => disposed ? exitSeen : process.HasExited;

    /// <summary>Starts QEMU with <paramref name="image"/> and waits until it has named both pseudo-terminals.</summary>
    public static QemuBoard Start(string target, string image)
    {
        FirmwareTarget.Check(target);
        var start = new ProcessStartInfo("qemu-system-arm")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-M", target, "-display", "none", "-monitor", "none", "-serial", "pty", "-serial", "pty", "-kernel", image })
            start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new IOException("qemu-system-arm did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new IOException($"cannot run qemu-system-arm ({e.Message}): install qemu-system-arm (./test.sh and ./robotics install it)", e);
        }

        var ptys = new string?[2];
        var output = new StringBuilder();
        var named = new ManualResetEventSlim();
        void OnLine(object? sender, DataReceivedEventArgs e)
        {
            if (e.Data is null)
                return;
            lock (output)
            {
                output.AppendLine(e.Data);
                if (RedirectedPty().Match(e.Data) is { Success: true } match)
                    ptys[match.Groups[2].Value == "serial0" ? 0 : 1] ??= match.Groups[1].Value;
                if (ptys[0] is not null && ptys[1] is not null)
                    named.Set();
            }
        }

        process.OutputDataReceived += OnLine;
        process.ErrorDataReceived += OnLine;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = Stopwatch.StartNew();
        while (!named.Wait(50))
        {
            if (process.HasExited || deadline.Elapsed > StartTimeout)
            {
                Kill(process);
                string said;
                lock (output)
                    said = output.ToString().Trim();
                throw new IOException($"qemu-system-arm -M {target} did not name its serial pseudo-terminals within {StartTimeout.TotalSeconds} s: {(said.Length == 0 ? "(no output)" : said.Split('\n')[^1])}");
            }
        }

        return new QemuBoard(process, ptys[0]!, ptys[1]!);
    }

    /// <summary>Stops QEMU now (SIGKILL) and waits for it; safe to call more than once.</summary>
    public void Kill() => exitSeen = Kill(process) || exitSeen;

    public void Dispose()
    {
        if (disposed)
            return;
        Kill();
        disposed = true;
        process.Dispose();
    }

    // Returns whether the process is seen gone within 5 s.
    private static bool Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
                process.Kill(); // SIGKILL on Linux, by process id
            return process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            return true; // already gone
        }
    }

    [GeneratedRegex(@"char device redirected to (/dev/pts/\d+) \(label (serial[01])\)")]
    private static partial Regex RedirectedPty();
}
