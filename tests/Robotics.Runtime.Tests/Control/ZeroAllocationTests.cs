using Robotics.Testing;
using Robotics.Runtime.Control;
using Robotics.Runtime.Observation;
using Robotics.Runtime.Policy;
using Robotics.Runtime.Telemetry;

namespace Robotics.Runtime.Tests.Control;

/// <summary>
/// The control thread allocates nothing once running: in steady state, while every tick overruns its period, and on
/// the way from a fault to the emergency stop. A tick path that allocates once every few thousand ticks fails: the
/// measured stretch of 20,000 ticks follows the settling window and must allocate nothing as a whole.
/// </summary>
public sealed class ZeroAllocationTests
{
    [Fact]
    public void Steady_state_ticks_with_a_real_policy_and_telemetry_allocate_nothing()
    {
        using var rig = new Rig(wakeLatencyMicros: 7);

        Allocations.AssertSteadyStateAllocatesNothing(() => rig.Loop.Step(), settleCalls: 5000, calls: 20_000, "the control tick");

        Assert.Equal(LoopPhase.Running, rig.Loop.Phase);
        Assert.Equal(rig.Loop.Ticks, rig.Transport.CommandsSent);
        Assert.Equal(0, rig.Loop.Scheduler!.Overruns);
    }

    [Fact]
    public void Ticks_that_overrun_their_period_allocate_nothing()
    {
        // Every wake-up comes 1.5 periods late: each tick overruns and the scheduler skips a period.
        using var rig = new Rig(wakeLatencyMicros: 1500);

        Allocations.AssertSteadyStateAllocatesNothing(() => rig.Loop.Step(), settleCalls: 5000, calls: 20_000, "an overrunning tick");

        Assert.Equal(LoopPhase.Running, rig.Loop.Phase);
        Assert.Equal(rig.Loop.Ticks, rig.Loop.Scheduler!.Overruns);
    }

    [Fact]
    public void The_fault_path_from_stale_state_through_the_ramp_to_the_emergency_stop_allocates_nothing()
    {
        // A first fault pays for compiling the ramp-down path; the second one, on a new loop, is measured.
        using (var first = new Rig(wakeLatencyMicros: 7)) first.RunToStaleStateStop();
        Thread.Sleep(300); // background recompilation of the ramp's hot methods

        using var rig = new Rig(wakeLatencyMicros: 7);
        long bytes = Allocations.OnThisThread(rig.RunToStaleStateStop);

        Assert.True(bytes == 0, $"the fault path allocated {bytes} bytes");
        Assert.Equal(FaultKind.StaleState, rig.Loop.Fault);
        Assert.Equal(1, rig.Transport.EmergencyStops);
        Assert.True(rig.Loop.Ticks > 500, "the ramp-down (0.5 s at 1000 Hz) ran");
    }

    /// <summary>A running loop at 1000 Hz on the fake robot with the exported test policy and a telemetry file.</summary>
    private sealed class Rig : IDisposable
    {
        private readonly OnnxPolicy policy = OnnxPolicy.Load(TestRobot.PolicyModel);
        private readonly string file = Path.Combine(Path.GetTempPath(), $"robotics-telemetry-{Guid.NewGuid():N}.csv");
        private readonly TelemetryWriter telemetry;

        public Rig(long wakeLatencyMicros)
        {
            var contract = TestRobot.Policy();
            var clock = new FakeClock { WakeLatency = wakeLatencyMicros };
            Transport = new FakeTransport(contract.Robot, clock);
            Transport.State.JointPositions[0] = 0.1;
            Transport.State.JointVelocities[1] = -0.5;
            telemetry = new TelemetryWriter(file, contract.Robot.Actuators.Select(a => a.Name).ToList(), capacity: 1 << 16);
            Loop = new ControlLoop(Transport, policy, contract, new ContractObservationSource(contract),
                new ControlLoopOptions { RateHz = 1000 }, clock, telemetry);
            Loop.Start(clock.Now);
            for (int i = 0; i < 500; i++) Loop.Step(); // the first inference, the first JIT tiers
        }

        public FakeTransport Transport { get; }
        public ControlLoop Loop { get; }

        /// <summary>The robot goes silent; the watchdog trips, the loop ramps to the safe state and stops.</summary>
        public void RunToStaleStateStop()
        {
            Transport.Silent = true;
            while (Loop.Phase != LoopPhase.Stopped) Loop.Step();
        }

        public void Dispose()
        {
            telemetry.Dispose();
            policy.Dispose();
            File.Delete(file);
        }
    }
}
