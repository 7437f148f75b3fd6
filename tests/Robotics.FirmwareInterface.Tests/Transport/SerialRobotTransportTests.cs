using Robotics.Contract;
using Robotics.FirmwareInterface.Protocol;
using Robotics.FirmwareInterface.Transport;
using Robotics.Runtime.Transport;
using Robotics.Testing;

namespace Robotics.FirmwareInterface.Tests.Transport;

public sealed class SerialRobotTransportTests : IDisposable
{
    private static readonly TimeSpan OpenTimeout = TimeSpan.FromSeconds(5);
    private readonly string directory = Directory.CreateTempSubdirectory("serial-link-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Handshake_states_and_commands_flow_over_a_pseudo_terminal_at_921600_baud()
    {
        using var robot = new PtyRobot();
        using var transport = new SerialRobotTransport(robot.DevicePath, new SerialTransportOptions { BaudRate = 921600 });

        var handshake = transport.Open(OpenTimeout);

        Assert.Equal(new RobotHandshake(WireFormat.ProtocolVersion, "echo-bot", PtyRobot.ContractHash, 2, 1, 100, 100), handshake);
        var state = new RobotState(2);
        Eventually.True(() => transport.TryReadLatestState(state), "the first state arrives");
        Assert.True((state.StatusFlags & (uint)RobotStatusFlags.Linked) != 0);

        for (var i = 1; i <= 20; i++)
        {
            var target = 0.25f * i;
            transport.SendCommand(state.Sequence, [target]);
            Eventually.True(() => transport.TryReadLatestState(state) && state.JointPositions[0] == target, $"the robot echoes target {target}");
        }

        Assert.Equal(20, robot.CommandsReceived);
        Assert.Equal(0, transport.Statistics.BadChecksums);
        Assert.Equal(0, transport.Statistics.SequenceGaps);
        Assert.True(transport.Statistics.FramesReceived >= 21);
    }

    /// <summary>
    /// Commands 3, 7, 8 and 15 of 20 are lost on the line (7 and 8 in a row): the host learns it only from the robot's
    /// count of commands received. Without that count, or with the ledger counting commands still in flight, this
    /// reads 0 or more than 4.
    /// </summary>
    [Fact]
    public void Commands_lost_on_the_way_to_the_robot_are_counted_from_the_robot_s_own_count()
    {
        int[] lost = [3, 7, 8, 15];
        var arriving = 0;
        using var robot = new PtyRobot(loseCommand: () => lost.Contains(++arriving));
        using var transport = new SerialRobotTransport(robot.DevicePath);
        transport.Open(OpenTimeout);
        var state = new RobotState(2);
        Eventually.True(() => transport.TryReadLatestState(state), "the first state arrives");

        for (var i = 1; i <= 20; i++)
        {
            var target = 0.25f * i;
            transport.SendCommand(state.Sequence, [target]);
            Assert.Equal(0, transport.Statistics.SendFailures);
            if (!lost.Contains(i))
                Eventually.True(() => transport.TryReadLatestState(state) && state.JointPositions[0] == target, $"the robot echoes target {target}");
        }

        Assert.Equal(16, robot.CommandsReceived);
        Assert.Equal(16u, state.CommandsReceived);
        Assert.Equal(4, transport.Statistics.CommandsNotReceived);
        Assert.Equal(0, transport.Statistics.SequenceGaps);
    }

    [Fact]
    public void Commands_outside_the_limits_are_clamped_and_reported_by_the_robot()
    {
        using var robot = new PtyRobot();
        using var transport = new SerialRobotTransport(robot.DevicePath);
        transport.Open(OpenTimeout);
        var state = new RobotState(2);
        Eventually.True(() => transport.TryReadLatestState(state), "the first state arrives");

        transport.SendCommand(state.Sequence, [25f]);

        Eventually.True(() => transport.TryReadLatestState(state) && state.JointPositions[0] == 10f, "the clamped target is applied");
        Assert.True((state.StatusFlags & (uint)RobotStatusFlags.CommandClamped) != 0);
        Eventually.True(() => transport.Statistics.LastFaultCode == (uint)FaultCode.CommandClamped, "the clamp fault is reported");
        Assert.Contains("clamped", transport.Statistics.LastFault);
    }

    [Fact]
    public void A_wrong_port_path_gives_a_clear_error()
    {
        using var transport = new SerialRobotTransport(Path.Combine(directory, "ttyUSB9"));

        var error = Assert.Throws<RobotLinkException>(() => transport.Open(OpenTimeout));

        Assert.Contains("no serial device at", error.Message);
        Assert.Contains("ttyUSB9", error.Message);
    }

    /// <summary>
    /// Two programs driving one robot interleave their commands: a device another program holds is refused before
    /// anything is sent. Tests run as root here, where TIOCEXCL does not apply, so this checks the advisory lock.
    /// </summary>
    [Fact]
    public void A_device_another_program_holds_is_refused_as_busy_and_nothing_is_sent()
    {
        using var robot = new PtyRobot();
        using var holder = SerialDevice.Open(robot.DevicePath, SerialLink.DefaultBaudRate);
        using var transport = new SerialRobotTransport(robot.DevicePath);

        var error = Assert.Throws<RobotLinkException>(() => transport.Open(OpenTimeout));

        Assert.Contains($"'{robot.DevicePath}' is busy", error.Message);
        Assert.Contains("fuser", error.Message);
        Assert.Equal(0, transport.Statistics.FramesSent);
        Assert.Equal(0, robot.CommandsReceived);
    }

    [Fact]
    public void A_device_that_never_answers_suggests_checking_the_baud_rate()
    {
        using var robot = new PtyRobot(silent: true);
        using var transport = new SerialRobotTransport(robot.DevicePath, new SerialTransportOptions { BaudRate = 115200 });

        var error = Assert.Throws<RobotLinkException>(() => transport.Open(TimeSpan.FromMilliseconds(300)));

        Assert.Contains("no answer", error.Message);
        Assert.Contains("115200 baud", error.Message);
        Assert.Contains("baud rate", error.Message);
    }

    /// <summary>Version 1 firmware sends states of the older layout (no command count): it must be refused, not misread.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void A_robot_speaking_another_protocol_version_is_refused(byte version)
    {
        using var robot = new PtyRobot(headerVersion: version);
        using var transport = new SerialRobotTransport(robot.DevicePath);

        var error = Assert.Throws<RobotLinkException>(() => transport.Open(OpenTimeout));

        Assert.Contains($"protocol version {version}; this host speaks {WireFormat.ProtocolVersion}", error.Message);
    }

    [Fact]
    public void A_vanished_device_is_detected_and_the_link_reconnects_when_it_returns_at_the_same_path()
    {
        var link = Path.Combine(directory, "robot");
        var first = new PtyRobot(link);
        using var transport = new SerialRobotTransport(link);
        transport.Open(OpenTimeout);
        var state = new RobotState(2);
        Eventually.True(() => transport.TryReadLatestState(state), "the first state arrives");

        first.Vanish();
        Eventually.True(() => !transport.Statistics.Connected, "the loss is detected");
        Assert.Equal((uint)FaultCode.LinkLost, transport.Statistics.LastFaultCode);
        transport.SendCommand(state.Sequence, [1f]);
        Assert.Equal(1, transport.Statistics.SendFailures);
        first.Dispose();

        using var second = new PtyRobot(link);
        Eventually.True(() => transport.Statistics.Connected, "the link is back");
        Assert.Equal(1, transport.Statistics.Reconnects);
        transport.SendCommand(state.Sequence, [3f]);
        Eventually.True(() => transport.TryReadLatestState(state) && state.JointPositions[0] == 3f, "commands reach the new device");
        Assert.Equal(1, second.CommandsReceived);
    }

    [Fact]
    public void Reading_state_and_sending_commands_do_not_allocate()
    {
        using var robot = new PtyRobot();
        using var transport = new SerialRobotTransport(robot.DevicePath);
        transport.Open(OpenTimeout);
        var state = new RobotState(2);
        Eventually.True(() => transport.TryReadLatestState(state), "the first state arrives");
        float[] targets = [1f];
        for (var i = 0; i < 100; i++)
        {
            transport.TryReadLatestState(state);
            transport.SendCommand(state.Sequence, targets);
        }

        Allocations.AssertOneCleanWindow(() =>
        {
            transport.TryReadLatestState(state);
            transport.SendCommand(state.Sequence, targets);
        }, calls: 1000, "reading the state and sending a command");
    }

    [Fact]
    public void A_different_robot_at_the_path_after_a_reconnect_is_not_used()
    {
        var link = Path.Combine(directory, "robot");
        var first = new PtyRobot(link);
        using var transport = new SerialRobotTransport(link);
        transport.Open(OpenTimeout);
        first.Dispose();
        Eventually.True(() => !transport.Statistics.Connected, "the loss is detected");

        using var other = new PtyRobot(link, contractHash: 0x1111);
        Eventually.True(() => transport.Statistics.LastFault?.Contains("instead of") == true, "the other robot is refused");

        Assert.False(transport.Statistics.Connected);
        Assert.Equal(0, transport.Statistics.Reconnects);
    }
}
