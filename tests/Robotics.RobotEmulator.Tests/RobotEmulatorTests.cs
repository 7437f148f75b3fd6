using Robotics.Contract;
using Robotics.FirmwareInterface.Protocol;
using Robotics.FirmwareInterface.Transport;
using Robotics.Runtime.Transport;
using Robotics.Sim.Tasks;

namespace Robotics.RobotEmulator.Tests;

public sealed class RobotEmulatorTests : IDisposable
{
    private static readonly TimeSpan OpenTimeout = TimeSpan.FromSeconds(5);
    private readonly string directory = Directory.CreateTempSubdirectory("emulated-robot-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Answers_the_handshake_with_the_robot_contract_and_streams_state()
    {
        using var running = new RunningEmulator("cartpole-balance");
        using var host = new SerialRobotTransport(running.Emulator.DevicePath);

        var handshake = host.Open(OpenTimeout);

        var contract = TaskCatalog.Load("cartpole-balance").RobotContract;
        Assert.Equal("cartpole", handshake.RobotName);
        Assert.Equal(contract.ShortHash, handshake.ContractHash);
        Assert.Equal(2, handshake.JointCount);
        Assert.Equal(1, handshake.ActuatorCount);
        Assert.Equal(contract.ControlRateHz, handshake.ControlRateHz);
        var state = new RobotState(2);
        Eventually.True(() => host.TryReadLatestState(state) && state.Sequence > 5, "several states arrive");
        Assert.True((state.StatusFlags & (uint)RobotStatusFlags.SafeState) != 0, "no command yet: safe state");
        Assert.False(state.Lockstep, "in real time the robot does not wait for answers");
    }

    /// <summary>
    /// The unstable cartpole waits for its host in its task's initial state, however long the host takes: the
    /// physics starts with the host's first active command after the handshake. Before, the pole had fallen by the
    /// time a host linked; and released at the handshake, a robot moved under its safe-state targets until the first
    /// command came (a jolt on the quadruped).
    /// </summary>
    [Fact]
    public void The_robot_holds_its_initial_state_until_the_linked_host_commands_and_then_moves()
    {
        const int hinge = 1;
        using var running = new RunningEmulator("cartpole-balance", options: new EmulatorOptions { Seed = 3 });
        var emulator = running.Emulator;
        Eventually.True(() => emulator.PhysicalJointPosition(hinge) != 0, "the initial state is read");
        var initial = emulator.PhysicalJointPosition(hinge);

        Thread.Sleep(TimeSpan.FromSeconds(1));

        Assert.False(emulator.Released);
        Assert.Equal(0, emulator.SimulatedSeconds);
        Assert.Equal(initial, emulator.PhysicalJointPosition(hinge));

        using var host = new SerialRobotTransport(emulator.DevicePath);
        host.Open(OpenTimeout);
        var state = new RobotState(2);
        Eventually.True(() => host.TryReadLatestState(state) && state.Sequence > 20, "states stream after the handshake");
        Assert.False(emulator.Released);
        Assert.Equal(initial, emulator.PhysicalJointPosition(hinge));

        host.SendCommand(state.Sequence, [0f]);
        Eventually.True(() => Math.Abs(emulator.PhysicalJointPosition(hinge) - initial) > 0.05, "the unpushed pole falls once the host commands");
        Assert.True(emulator.Released);
    }

    [Fact]
    public void With_free_run_the_physics_runs_before_any_host_links()
    {
        using var running = new RunningEmulator("cartpole-balance", options: new EmulatorOptions { Seed = 3, FreeRun = true });

        Eventually.True(() => running.Emulator.SimulatedSeconds > 0.5, "simulated time passes without a host");
        Assert.False(running.Emulator.Link.Linked);
    }

    [Fact]
    public void Commands_push_the_simulated_cart_and_out_of_range_ones_are_clamped()
    {
        using var running = new RunningEmulator("cartpole-balance");
        using var host = new SerialRobotTransport(running.Emulator.DevicePath);
        host.Open(OpenTimeout);
        var state = new RobotState(2);
        Eventually.True(() => host.TryReadLatestState(state), "the first state arrives");
        var start = state.JointPositions[0];

        Eventually.True(() =>
        {
            host.TryReadLatestState(state);
            host.SendCommand(state.Sequence, [50f]);
            return state.JointPositions[0] > start + 0.05;
        }, "the cart moves in the pushed direction");

        Assert.True((state.StatusFlags & (uint)RobotStatusFlags.Active) != 0);
        Assert.Equal(10f, running.Emulator.Rules.Targets[0]);
        Eventually.True(() => host.Statistics.LastFaultCode == (uint)FaultCode.CommandClamped, "the clamp is reported");
    }

    [Fact]
    public void The_watchdog_puts_the_robot_in_the_safe_state_when_commands_stop()
    {
        using var running = new RunningEmulator("cartpole-balance");
        using var host = new SerialRobotTransport(running.Emulator.DevicePath);
        host.Open(OpenTimeout);
        var state = new RobotState(2);
        Eventually.True(() => host.TryReadLatestState(state), "the first state arrives");
        host.SendCommand(state.Sequence, [1f]);
        Eventually.True(() => host.TryReadLatestState(state) && (state.StatusFlags & (uint)RobotStatusFlags.Active) != 0, "the robot is active");

        Eventually.True(() => host.TryReadLatestState(state) && (state.StatusFlags & (uint)RobotStatusFlags.WatchdogExpired) != 0,
            "the watchdog expires");

        Assert.True((state.StatusFlags & (uint)RobotStatusFlags.SafeState) != 0);
        Assert.Equal(0f, running.Emulator.Rules.Targets[0]);
        Eventually.True(() => host.Statistics.LastFaultCode == (uint)FaultCode.WatchdogExpired, "the watchdog fault is reported");
    }

    [Fact]
    public void Corrupted_frames_are_caught_by_the_checksum_and_state_keeps_flowing()
    {
        var options = new EmulatorOptions { Faults = new FaultInjectionOptions { CorruptRate = 0.2 }, Seed = 3 };
        using var running = new RunningEmulator("cartpole-balance", options: options);
        using var host = new SerialRobotTransport(running.Emulator.DevicePath);
        host.Open(OpenTimeout);
        var state = new RobotState(2);

        Eventually.True(() => host.TryReadLatestState(state) && state.Sequence > 30, "thirty states arrive");

        Assert.True(running.Emulator.Faults.FramesCorrupted > 0);
        Assert.True(host.Statistics.BadChecksums + host.Statistics.MalformedFrames > 0);
        Assert.True(host.Statistics.SequenceGaps > 0, "a corrupted state is a lost state");
    }

    [Fact]
    public void A_disconnect_is_seen_by_the_host_the_robot_goes_safe_and_the_link_returns_at_the_same_path()
    {
        var link = Path.Combine(directory, "robot");
        var options = new EmulatorOptions
        {
            Faults = new FaultInjectionOptions { DisconnectAt = TimeSpan.FromSeconds(1), ReconnectAfter = TimeSpan.FromSeconds(1) },
        };
        using var running = new RunningEmulator("cartpole-balance", link, options);
        using var host = new SerialRobotTransport(link);
        host.Open(OpenTimeout);
        var state = new RobotState(2);
        var keepCommanding = true;
        var commander = new Thread(() =>
        {
            while (Volatile.Read(ref keepCommanding))
            {
                if (host.TryReadLatestState(state))
                    host.SendCommand(state.Sequence, [0.5f]);
                Thread.Sleep(10);
            }
        });
        commander.Start();
        try
        {
            Eventually.True(() => running.Emulator.Disconnected, "the device vanishes");
            Eventually.True(() => !host.Statistics.Connected, "the host sees it");
            Eventually.True(() => running.Emulator.Rules.Status.HasFlag(RobotStatusFlags.WatchdogExpired), "the robot's watchdog puts it in the safe state");
            Eventually.True(() => host.Statistics.Connected, "the link returns");
            Assert.Equal(1, host.Statistics.Reconnects);
            Eventually.True(() => running.Emulator.Rules.Status.HasFlag(RobotStatusFlags.Active), "commands drive the robot again");
        }
        finally
        {
            Volatile.Write(ref keepCommanding, false);
            commander.Join();
        }
    }

    [Fact]
    public void A_stuck_sensor_repeats_its_reading_while_the_joint_moves()
    {
        var options = new EmulatorOptions { Faults = new FaultInjectionOptions { StuckJoint = 1, StuckSensorAt = TimeSpan.Zero } };
        using var running = new RunningEmulator("cartpole-balance", options: options);
        using var host = new SerialRobotTransport(running.Emulator.DevicePath);
        host.Open(OpenTimeout);
        var state = new RobotState(2);
        Eventually.True(() => host.TryReadLatestState(state), "the first state arrives");
        host.SendCommand(state.Sequence, [0f]); // releases the held robot; the watchdog then leaves it unpushed
        var stuck = state.JointPositions[1];

        var stuckVelocity = state.JointVelocities[1];

        Eventually.True(() => host.TryReadLatestState(state) && state.Sequence > 100, "a second of states arrives");

        // Mutation guarded: a fault that freezes the joint itself (or the whole simulation) instead of its sensor.
        Assert.Equal(stuck, state.JointPositions[1]);
        Assert.Equal(stuckVelocity, state.JointVelocities[1]);
        var physical = running.Emulator.PhysicalJointPosition(1);
        Assert.True(Math.Abs(physical - stuck) > 1e-3, $"the hinge is at {physical} rad, the stuck sensor reads {stuck} rad");
    }
}

public sealed class BaudRateTests
{
    [Fact]
    public void A_host_at_another_baud_rate_gets_a_clear_error_and_one_at_the_right_rate_links()
    {
        using var running = new RunningEmulator("cartpole-balance", options: new EmulatorOptions { BaudRate = 115200 });

        using (var wrong = new SerialRobotTransport(running.Emulator.DevicePath, new SerialTransportOptions { BaudRate = 921600 }))
        {
            var error = Assert.Throws<RobotLinkException>(() => wrong.Open(TimeSpan.FromMilliseconds(500)));
            Assert.Contains("921600 baud", error.Message);
            Assert.Contains("baud rate", error.Message);
        }

        using var right = new SerialRobotTransport(running.Emulator.DevicePath, new SerialTransportOptions { BaudRate = 115200 });
        Assert.Equal("cartpole", right.Open(TimeSpan.FromSeconds(5)).RobotName);
    }

    [Fact]
    public void A_linked_robot_seen_at_the_wrong_baud_rate_is_noise_counted_as_bad_frames()
    {
        using var running = new RunningEmulator("cartpole-balance", options: new EmulatorOptions { BaudRate = 115200 });
        using (var right = new SerialRobotTransport(running.Emulator.DevicePath, new SerialTransportOptions { BaudRate = 115200 }))
            right.Open(TimeSpan.FromSeconds(5));

        using var wrong = new SerialRobotTransport(running.Emulator.DevicePath, new SerialTransportOptions { BaudRate = 921600 });
        var error = Assert.Throws<RobotLinkException>(() => wrong.Open(TimeSpan.FromMilliseconds(500)));

        Assert.Contains("no valid frame at 921600 baud", error.Message);
    }
}

public sealed class EveryRobotTests
{
    [Theory]
    [InlineData("hopper")]
    [InlineData("quadruped-walk")]
    [InlineData("reacher")]
    [InlineData("humanoid-bench")]
    public void Each_robot_links_and_streams_its_joints_and_imu(string task)
    {
        var contract = TaskCatalog.Load(task).RobotContract;
        using var running = new RunningEmulator(task);
        using var host = new SerialRobotTransport(running.Emulator.DevicePath);

        var handshake = host.Open(TimeSpan.FromSeconds(5));

        Assert.Equal(contract.ShortHash, handshake.ContractHash);
        Assert.Equal(contract.Joints.Count, handshake.JointCount);
        Assert.Equal(contract.Actuators.Count, handshake.ActuatorCount);
        Assert.Equal(contract.HasImu, handshake.HasImu);
        var state = new RobotState(handshake.JointCount);
        Eventually.True(() => host.TryReadLatestState(state), "the first state arrives");
        Assert.Equal(contract.HasImu, state.HasImu);
        Assert.Equal(0, host.Statistics.MalformedFrames);
    }
}
