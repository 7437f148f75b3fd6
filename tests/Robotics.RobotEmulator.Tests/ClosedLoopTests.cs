using Robotics.Contract;
using Robotics.FirmwareInterface.Transport;

namespace Robotics.RobotEmulator.Tests;

/// <summary>
/// The whole serial path in a control loop: a hand-tuned state-feedback controller balances the emulated
/// cartpole through the pseudo-terminal, one command per state, as the runtime does with a policy. The robot
/// runs in lockstep, so the run does not depend on how busy the machine is (the real-time runs are the
/// hardware-in-the-loop tests of the runtime).
/// </summary>
public sealed class ClosedLoopTests
{
    private const double SimulatedSeconds = 5;

    // u = Kx·x + Kv·ẋ + Kθ·θ + Kω·θ̇ (θ > 0 leans towards +x): gains tuned by hand for this cart and pole.
    private static float Control(RobotState s) =>
        (float)(1.0 * s.JointPositions[0] + 1.8 * s.JointVelocities[0] + 20.0 * s.JointPositions[1] + 4.0 * s.JointVelocities[1]);

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.01)]
    public void A_controller_keeps_the_emulated_cartpole_upright_through_the_serial_link(double corruptRate)
    {
        var options = new EmulatorOptions { Seed = 5, Lockstep = true, Faults = new FaultInjectionOptions { CorruptRate = corruptRate } };
        using var running = new RunningEmulator("cartpole-balance", options: options);
        using var host = new SerialRobotTransport(running.Emulator.DevicePath);
        host.Open(TimeSpan.FromSeconds(5));
        var state = new RobotState(2);
        Eventually.True(() => host.TryReadLatestState(state), "the first state arrives");

        var maxTilt = 0.0;
        var answered = 0u;
        var giveUp = DateTime.UtcNow.AddSeconds(60);
        while (running.Emulator.SimulatedSeconds < SimulatedSeconds)
        {
            Assert.True(DateTime.UtcNow < giveUp, $"only {running.Emulator.SimulatedSeconds:0.00} s simulated in a minute");
            if (!host.TryReadLatestState(state) || state.Sequence == answered)
            {
                Thread.Sleep(1);
                continue;
            }

            answered = state.Sequence;
            host.SendCommand(state.Sequence, [Control(state)]);
            maxTilt = Math.Max(maxTilt, Math.Abs(state.JointPositions[1]));
        }

        Assert.True(maxTilt < 0.2, $"the pole tilted to {maxTilt:0.000} rad");
        Assert.True(Math.Abs(state.JointPositions[0]) < 2.4, $"the cart left the rail at {state.JointPositions[0]:0.00} m");
        Assert.Equal(0u, state.StatusFlags & (uint)FirmwareInterface.Protocol.RobotStatusFlags.WatchdogExpired);
        if (corruptRate > 0)
            Assert.True(host.Statistics.BadChecksums + host.Statistics.MalformedFrames > 0, "the host caught corrupted frames");
    }
}
