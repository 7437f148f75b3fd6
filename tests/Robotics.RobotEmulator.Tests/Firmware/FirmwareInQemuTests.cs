using System.Diagnostics;
using Robotics.FirmwareInterface.Protocol;
using Robotics.RobotEmulator.Firmware;
using Robotics.Sim.Tasks;
using Xunit.Abstractions;

namespace Robotics.RobotEmulator.Tests.Firmware;

/// <summary>
/// The C firmware, built for a Cortex-M board, running in QEMU with the MuJoCo cartpole on its hardware bus,
/// driven by a bare protocol host. Every test kills its QEMU (SIGKILL by pid) when it ends, passed or failed.
/// </summary>
public sealed class FirmwareInQemuTests(ITestOutputHelper output)
{
    private const string Board = "lm3s6965evb";
    private const float CommandMax = 10; // configs/robots/cartpole.yaml: push, command [-10, 10] N
    private static readonly TimeSpan LongWatchdog = TimeSpan.FromSeconds(1); // for tests about other rules than the watchdog
    private static readonly LoadedTask Cartpole = TaskCatalog.Load("cartpole-balance");

    [Theory]
    [InlineData("lm3s6965evb")]
    [InlineData("netduinoplus2")]
    public void The_firmware_answers_the_handshake_with_its_robots_contract_and_streams_the_plants_joints(string target)
    {
        using var loop = FirmwareInTheLoop.Start(Cartpole, target);
        using var host = new FirmwareHost(loop.HostDevicePath);
        var contract = Cartpole.RobotContract;

        var response = host.Handshake(contract.ShortHash);
        var first = host.WaitForState(_ => true, "one has arrived");
        // A second of the device's clock, however long a loaded machine takes to run it.
        host.WaitForState(s => s.DeviceTimeMicros >= first.DeviceTimeMicros + 1_000_000, "the device clock has moved on by 1 s", seconds: 30);
        var states = host.States.ToList();
        var sensorReadings = loop.Plant.SensorFramesSent;
        var last = states[^1];
        var recent = loop.Plant.RecentPositions();

        output.WriteLine($"{target}: {response}; {states.Count} states for {sensorReadings} sensor readings, device time {first.DeviceTimeMicros} -> {last.DeviceTimeMicros} us");
        Assert.Equal(contract.ShortHash, response.ContractHash);
        Assert.Equal(contract.Robot, response.RobotName);
        Assert.Equal(contract.Joints.Count, response.JointCount);
        Assert.Equal(contract.Actuators.Count, response.ActuatorCount);
        Assert.Equal((float)contract.ControlRateHz, response.ControlRateHz);
        // One state per sensor reading of the plant (100 Hz): about 100 in the second, fewer when a loaded machine
        // stalls the plant or QEMU (a stall of the whole machine once left 49), never more than the plant sent; the
        // device clock only moves forward.
        Assert.InRange(states.Count(s => s.DeviceTimeMicros > first.DeviceTimeMicros), 25, sensorReadings);
        Assert.All(states.Zip(states.Skip(1)), pair => Assert.True(pair.Second.DeviceTimeMicros > pair.First.DeviceTimeMicros));
        Assert.Equal(RobotStatusFlags.Linked | RobotStatusFlags.SafeState, last.Status);
        // The joints the firmware reports are exactly readings the simulation sent on the bus.
        Assert.Contains(recent, reading => reading.SequenceEqual(last.Positions));
    }

    [Fact]
    public void Commands_outside_the_firmware_limits_are_clamped_and_reported()
    {
        using var loop = FirmwareInTheLoop.Start(Cartpole, Board, LongWatchdog);
        using var host = new FirmwareHost(loop.HostDevicePath);
        host.Handshake(Cartpole.RobotContract.ShortHash);

        host.SendCommand([2.5f * CommandMax]);
        var clamped = host.WaitForState(s => s.Status.HasFlag(RobotStatusFlags.CommandClamped), "the command is reported clamped");
        Eventually.True(() => loop.Plant.Targets()[0] == CommandMax, "the motor applies the limit");
        var fault = Assert.Single(host.Faults, f => f.Code == FaultCode.CommandClamped);

        host.SendCommand([-3f]);
        var within = host.WaitForState(s => !s.Status.HasFlag(RobotStatusFlags.CommandClamped), "a command within the limits clears the flag");
        Eventually.True(() => loop.Plant.Targets()[0] == -3f, "the motor applies the command as sent");

        output.WriteLine($"{clamped.Status}; fault {fault.Code} on actuator {fault.Detail}: {fault.Text}; then {within.Status}");
        Assert.True(clamped.Status.HasFlag(RobotStatusFlags.Active));
        Assert.Equal(0, fault.Detail);
        Assert.True(within.Status.HasFlag(RobotStatusFlags.Active));
    }

    [Fact]
    public void The_firmware_watchdog_puts_the_actuators_in_the_safe_state_when_commands_stop()
    {
        using var loop = FirmwareInTheLoop.Start(Cartpole, Board); // the default watchdog: 2.5 periods, 25 ms
        using var host = new FirmwareHost(loop.HostDevicePath);
        host.Handshake(Cartpole.RobotContract.ShortHash);

        long lastCommand = 0;
        var streaming = Stopwatch.StartNew();
        while (streaming.ElapsedMilliseconds < 500)
        {
            host.SendCommand([4f]);
            lastCommand = Stopwatch.GetTimestamp();
            Thread.Sleep(5);
        }

        Assert.Equal(4f, loop.Plant.Targets()[0]);
        var tripped = host.WaitForState(s => s.Status.HasFlag(RobotStatusFlags.WatchdogExpired), "the watchdog has tripped");
        var arrival = host.Received.First(r => r.Ticks > lastCommand && r.Message is StateMessage s && s.Status.HasFlag(RobotStatusFlags.WatchdogExpired)).Ticks;
        var afterLastCommand = Stopwatch.GetElapsedTime(lastCommand, arrival);
        Eventually.True(() => loop.Plant.Targets()[0] == 0f, "the motor is in its safe state (no force)", 1);

        output.WriteLine($"the watchdog's state arrived {afterLastCommand.TotalMilliseconds:F1} ms after the last command: {tripped.Status}");
        Assert.True(tripped.Status.HasFlag(RobotStatusFlags.SafeState));
        Assert.False(tripped.Status.HasFlag(RobotStatusFlags.Active));
        // Not before its 25 ms (less a margin for the emulated clock), and within a control period or two of it,
        // plus what a loaded machine adds to the way back.
        Assert.InRange(afterLastCommand.TotalMilliseconds, 20, 25 + 300);
        Assert.Contains(host.Faults, f => f.Code == FaultCode.WatchdogExpired);
    }

    [Fact]
    public void An_emergency_stop_is_acknowledged_and_latches_the_safe_state_until_the_next_handshake()
    {
        using var loop = FirmwareInTheLoop.Start(Cartpole, Board, LongWatchdog);
        using var host = new FirmwareHost(loop.HostDevicePath);
        var contractHash = Cartpole.RobotContract.ShortHash;
        host.Handshake(contractHash);
        host.SendCommand([4f]);
        Eventually.True(() => loop.Plant.Targets()[0] == 4f, "the motor applies the command");

        var stop = host.SendEmergencyStop();
        var stopped = host.WaitForState(s => s.Status.HasFlag(RobotStatusFlags.EmergencyStop), "the emergency stop is latched");
        Eventually.True(() => loop.Plant.Targets()[0] == 0f, "the motor is in its safe state");
        host.SendCommand([4f]);
        Eventually.True(() => host.Faults.Any(f => f.Code == FaultCode.EmergencyStop), "a command during the stop is refused");
        Thread.Sleep(100);
        var targetDuringStop = loop.Plant.Targets()[0];

        host.Handshake(contractHash);
        host.SendCommand([4f]);
        var resumed = host.WaitForState(s => s.Status.HasFlag(RobotStatusFlags.Active), "a new handshake has cleared the stop");
        Eventually.True(() => loop.Plant.Targets()[0] == 4f, "the motor applies commands again");

        output.WriteLine($"stopped: {stopped.Status}; resumed: {resumed.Status}");
        Assert.Contains(host.Received.Select(r => r.Message).OfType<AcknowledgementMessage>(),
            a => a.AcknowledgedSequence == stop && a.AcknowledgedType == SerialMessageType.EmergencyStop && a.Result == FaultCode.None);
        Assert.True(stopped.Status.HasFlag(RobotStatusFlags.SafeState));
        Assert.Equal(0f, targetDuringStop);
        Assert.False(resumed.Status.HasFlag(RobotStatusFlags.EmergencyStop));
    }

    [Fact]
    public void One_percent_of_the_frames_corrupted_either_way_are_survived_and_counted_on_both_sides()
    {
        const int commands = 300;
        var stateFrames = 0;
        using var loop = FirmwareInTheLoop.Start(Cartpole, Board);
        // Every 100th state frame on the way in gets a bit flipped (state frames only: the faults carry the firmware's count).
        using var host = new FirmwareHost(loop.HostDevicePath, frame => FirmwareHost.IsStateFrame(frame) && ++stateFrames % 100 == 0);
        host.Handshake(Cartpole.RobotContract.ShortHash);

        var corruptedCommands = 0;
        for (var i = 1; i <= commands; i++)
        {
            var corrupt = i % 100 == 0;
            corruptedCommands += corrupt ? 1 : 0;
            host.SendCommand([(float)(3 * Math.Sin(i * 0.05))], corrupt: corrupt);
            Thread.Sleep(10);
        }

        Thread.Sleep(200);
        var countedByFirmware = host.Faults.Where(f => f.Code == FaultCode.MalformedFrame).Select(f => (int)f.Detail).DefaultIfEmpty(0).Max();
        output.WriteLine($"host to firmware: {commands} commands, {corruptedCommands} corrupted, the firmware counted {countedByFirmware}; "
            + $"firmware to host: {host.States.Count()} states decoded, {host.FramesCorruptedOnReceive} corrupted, the host counted {host.BadChecksums}; "
            + $"actuator frames on the bus {loop.Plant.TargetFramesReceived}");
        Assert.Equal(3, corruptedCommands);
        Assert.Equal(corruptedCommands, countedByFirmware);
        Assert.True(host.FramesCorruptedOnReceive >= 2, $"only {host.FramesCorruptedOnReceive} state frames corrupted");
        Assert.Equal(host.FramesCorruptedOnReceive, host.BadChecksums);
        // The link went on: every intact command reached the motors, and the states kept coming.
        Assert.True(loop.Plant.TargetFramesReceived >= commands - corruptedCommands, $"{loop.Plant.TargetFramesReceived} actuator frames");
        Assert.True(host.States.Count() >= 200, $"{host.States.Count()} states in about 3 s");
    }

    [Fact]
    public void A_host_that_stops_reading_does_not_hang_the_test_QEMU_is_killed_by_its_pid()
    {
        var loop = FirmwareInTheLoop.Start(Cartpole, Board);
        try
        {
            using var host = new FirmwareHost(loop.HostDevicePath);
            host.Handshake(Cartpole.RobotContract.ShortHash);
            host.StopReading();
            // Each heartbeat is answered; with nobody reading, the pseudo-terminal fills, QEMU's UART blocks and
            // QEMU stops taking the host's bytes too.
            var sent = 0;
            while (sent < 5000 && host.Send(new HeartbeatMessage((uint)(1000 + sent), (ulong)sent)))
                sent++;

            var killing = Stopwatch.StartNew();
            loop.Dispose();
            output.WriteLine($"{sent} heartbeats taken before the line stopped; QEMU (pid {loop.Board.ProcessId}) gone {killing.ElapsedMilliseconds} ms after the kill");
            Assert.True(sent < 5000, "QEMU kept reading: the host's side never filled, so this test did not reach the blocked state");
            Assert.True(loop.Board.HasExited);
            Assert.False(Directory.Exists($"/proc/{loop.Board.ProcessId}"), $"QEMU's pid {loop.Board.ProcessId} still exists");
            Assert.InRange(killing.Elapsed.TotalSeconds, 0, 5);
        }
        finally
        {
            loop.Dispose();
        }
    }
}
