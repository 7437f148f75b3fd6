using System.Diagnostics;
using Robotics.Contract;
using Robotics.FirmwareInterface.Protocol;
using Robotics.FirmwareInterface.Transport;
using Robotics.Runtime.Transport;

namespace Robotics.FirmwareInterface.Tests.Transport;

/// <summary>
/// The C library running as firmware (firmware-interface/c/examples/pty_firmware.c, built with make and gcc)
/// behind a pseudo-terminal, driven by the C# transport: the two implementations talk, not only agree on vectors.
/// </summary>
public sealed class CFirmwareInteropTests : IDisposable
{
    private const ulong Hash = 0x0123456789abcdef;
    private readonly Process firmware;
    private readonly string devicePath;

    public CFirmwareInteropTests()
    {
        var sources = FindCSources();
        var make = Process.Start(new ProcessStartInfo("make", ["-s", "-C", sources, "build/pty_firmware"]) { RedirectStandardError = true })!;
        var makeErrors = make.StandardError.ReadToEnd();
        make.WaitForExit();
        Assert.True(make.ExitCode == 0, $"building the C firmware failed: {makeErrors}");

        firmware = Process.Start(new ProcessStartInfo(Path.Combine(sources, "build", "pty_firmware"), [Hash.ToString("x16"), "60"])
        {
            RedirectStandardOutput = true,
        })!;
        devicePath = firmware.StandardOutput.ReadLine() ?? throw new InvalidOperationException("the C firmware printed no device path");
    }

    public void Dispose()
    {
        firmware.Kill();
        firmware.WaitForExit();
        firmware.Dispose();
    }

    [Fact]
    public void The_csharp_host_links_with_the_c_firmware_and_its_rules_hold()
    {
        using var host = new SerialRobotTransport(devicePath);

        var handshake = host.Open(TimeSpan.FromSeconds(5));

        Assert.Equal(new RobotHandshake(WireFormat.ProtocolVersion, "c-firmware", Hash, 2, 1, 100, 100), handshake);
        var state = new RobotState(2);
        Eventually.True(() => host.TryReadLatestState(state), "the first state arrives");

        host.SendCommand(state.Sequence, [2.5f]);
        Eventually.True(() => host.TryReadLatestState(state) && state.JointPositions[0] == 2.5, "the target is applied");
        Assert.Equal(-2.5, state.JointPositions[1]);
        Assert.True((state.StatusFlags & (uint)RobotStatusFlags.Active) != 0);

        host.SendCommand(state.Sequence, [25f]);
        Eventually.True(() => host.TryReadLatestState(state) && state.JointPositions[0] == 10, "the target is clamped");
        Assert.True((state.StatusFlags & (uint)RobotStatusFlags.CommandClamped) != 0);
        Eventually.True(() => host.Statistics.LastFaultCode == (uint)FaultCode.CommandClamped, "the clamp is reported");

        host.SendEmergencyStop();
        Eventually.True(() => host.TryReadLatestState(state) && (state.StatusFlags & (uint)RobotStatusFlags.EmergencyStop) != 0, "the stop is latched");
        Assert.Equal(0, state.JointPositions[0]);
        Assert.Equal(0, host.Statistics.BadChecksums + host.Statistics.MalformedFrames);
    }

    private static string FindCSources()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "firmware-interface", "c");
            if (File.Exists(Path.Combine(candidate, "Makefile")))
                return candidate;
        }

        throw new DirectoryNotFoundException("firmware-interface/c not found above the test's directory");
    }
}
