using Robotics.Contract;
using Robotics.FirmwareInterface.Transport;

namespace Robotics.RobotEmulator.Tests;

/// <summary>
/// The emulated robot loses a fifth of the host's commands on the way in, as a noisy line would. The host sees
/// nothing of it on its side of the line; it counts the losses from the robot's count of commands received, and
/// must count exactly as many as the emulator lost. In lockstep, so the run is the same on a busy machine.
/// </summary>
public sealed class CommandLossTests
{
    private const int Commands = 60;

    [Fact]
    public void The_host_counts_exactly_the_commands_the_robot_never_received()
    {
        var options = new EmulatorOptions
        {
            Seed = 3,
            Lockstep = true,
            LockstepTimeout = TimeSpan.FromMilliseconds(100),
            Faults = new FaultInjectionOptions { CommandDropRate = 0.2 },
        };
        using var running = new RunningEmulator("cartpole-balance", options: options);
        using var host = new SerialRobotTransport(running.Emulator.DevicePath);
        host.Open(TimeSpan.FromSeconds(5));
        var state = new RobotState(2);
        Eventually.True(() => host.TryReadLatestState(state), "the first state arrives");

        // One command per state. After the planned ones, go on until one arrives, so that the robot's newest
        // state accounts for every command written before it.
        var sent = 0;
        var lastArrived = false;
        while (sent < Commands || !lastArrived)
        {
            var droppedBefore = running.Emulator.CommandsDropped;
            host.SendCommand(state.Sequence, [0f]);
            sent++;
            Eventually.True(() => running.Emulator.Link.CommandsReceived + running.Emulator.CommandsDropped == sent, $"the robot has command {sent} or lost it");
            lastArrived = running.Emulator.CommandsDropped == droppedBefore;
            var previous = state.Sequence;
            Eventually.True(() => host.TryReadLatestState(state) && state.Sequence != previous, "the next state arrives");
        }

        // A state sent before the last command arrived (the robot's wait for it timed out on a busy machine)
        // does not account for it yet; the robot keeps sending states, and one soon does.
        var received = running.Emulator.Rules.CommandsReceived;
        Eventually.True(() => host.TryReadLatestState(state) && state.CommandsReceived == received, "a state counts the last command");

        var dropped = running.Emulator.CommandsDropped;
        Assert.InRange(dropped, 5, 20); // a fifth of about 60: the seed gives some losses, not all
        Assert.Equal(sent, running.Emulator.Link.CommandsReceived + dropped);
        Assert.Equal(dropped, host.Statistics.CommandsNotReceived);
        Assert.Equal(0, host.Statistics.SendFailures);
    }
}
