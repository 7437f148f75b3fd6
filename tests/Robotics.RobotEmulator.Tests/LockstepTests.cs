using Robotics.Contract;
using Robotics.FirmwareInterface.Transport;

namespace Robotics.RobotEmulator.Tests;

public sealed class LockstepTests
{
    [Fact]
    public void In_lockstep_the_robot_waits_for_the_answer_to_each_state()
    {
        var options = new EmulatorOptions { Lockstep = true, LockstepTimeout = TimeSpan.FromSeconds(30) };
        using var running = new RunningEmulator("cartpole-balance", options: options);
        using var host = new SerialRobotTransport(running.Emulator.DevicePath);
        host.Open(TimeSpan.FromSeconds(5));
        var state = new RobotState(2);
        Eventually.True(() => host.TryReadLatestState(state), "the first state arrives");
        var first = state.Sequence;

        // Unanswered, the robot holds: no new state, no simulated time, however long the host takes.
        var heldAt = running.Emulator.SimulatedSeconds;
        Thread.Sleep(200);
        Assert.Equal(heldAt, running.Emulator.SimulatedSeconds);
        Assert.True(host.TryReadLatestState(state));
        Assert.Equal(first, state.Sequence);

        // Each answer buys exactly one control period.
        for (var i = 1; i <= 3; i++)
        {
            host.SendCommand(state.Sequence, [0f]);
            var expected = first + (uint)i;
            Eventually.True(() => host.TryReadLatestState(state) && state.Sequence >= expected, $"state {expected} arrives");
            Assert.Equal(expected, state.Sequence);
        }

        Assert.Equal(heldAt + 3 * 0.01, running.Emulator.SimulatedSeconds, precision: 9);
    }

    [Fact]
    public void In_lockstep_an_unanswered_state_costs_the_timeout_and_the_robot_steps_on()
    {
        var options = new EmulatorOptions { Lockstep = true, LockstepTimeout = TimeSpan.FromMilliseconds(20) };
        using var running = new RunningEmulator("cartpole-balance", options: options);
        using var host = new SerialRobotTransport(running.Emulator.DevicePath);
        host.Open(TimeSpan.FromSeconds(5));
        var state = new RobotState(2);

        Eventually.True(() => host.TryReadLatestState(state) && state.Sequence > 5, "states keep coming without answers");
    }
}
