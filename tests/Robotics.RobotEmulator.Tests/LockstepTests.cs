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
        Assert.True(state.Lockstep, "the state says the robot waits for its answer");

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

    /// <summary>
    /// Arrival times are taken on the host, whose thread a loaded machine can stall: a stall delays one arrival, so
    /// it stretches one interval and shortens the next, and the checks are on the median and on the span from the
    /// third to the last state with room for one stall of a fifth of it. The robot's clock (simulated time in
    /// lockstep) shows it stepping one period per unanswered state.
    /// Mutations guarded: a lockstep that ignores its timeout (states every period, 10 ms) or waits twice per state.
    /// </summary>
    [Fact]
    public void In_lockstep_an_unanswered_state_costs_the_timeout_and_the_robot_steps_on()
    {
        const double timeoutMs = 60;
        var options = new EmulatorOptions { Lockstep = true, LockstepTimeout = TimeSpan.FromMilliseconds(timeoutMs) };
        using var running = new RunningEmulator("cartpole-balance", options: options);
        using var host = new SerialRobotTransport(running.Emulator.DevicePath);
        host.Open(TimeSpan.FromSeconds(5));
        var state = new RobotState(2);
        // One command releases the robot (it is held until the linked host's first active command); none after it.
        Eventually.True(() => host.TryReadLatestState(state), "the first state arrives");
        host.SendCommand(state.Sequence, [0f]);
        Eventually.True(() => running.Emulator.Released, "the command releases the robot");
        var seen = new List<(uint Sequence, ulong SimulatedMicros, double ArrivedMs)>();
        var clock = System.Diagnostics.Stopwatch.StartNew();

        Eventually.True(() =>
        {
            if (host.TryReadLatestState(state) && (seen.Count == 0 || state.Sequence != seen[^1].Sequence))
                seen.Add((state.Sequence, state.DeviceTimeMicros, clock.Elapsed.TotalMilliseconds));
            return seen.Count >= 14;
        }, "states keep coming without answers");

        // The first states are skipped: they were sent as the link opened and the robot was released, before this
        // host started timing.
        var linked = seen.Skip(4).ToList();
        var pairs = linked.Zip(linked.Skip(1)).ToList();
        var perStateMs = pairs.Select(p => (p.Second.ArrivedMs - p.First.ArrivedMs) / (p.Second.Sequence - p.First.Sequence)).Order().ToList();
        double states = linked[^1].Sequence - linked[0].Sequence;
        double spanMs = linked[^1].ArrivedMs - linked[0].ArrivedMs;
        Assert.True(spanMs >= 0.8 * states * timeoutMs, $"{states} unanswered states took {spanMs:F0} ms");
        Assert.InRange(perStateMs[perStateMs.Count / 2], 0.8 * timeoutMs, 2 * timeoutMs);
        // Device time is simulated seconds truncated to whole microseconds: one period reads as 9999 to 10001 us.
        Assert.All(pairs, p => Assert.InRange((double)(p.Second.SimulatedMicros - p.First.SimulatedMicros) / (p.Second.Sequence - p.First.Sequence), 9_998, 10_002));
    }
}
