using Robotics.Testing;
using Robotics.Runtime.Control;
using Robotics.Runtime.Observation;
using Robotics.Runtime.Policy;
using Robotics.Runtime.Telemetry;

namespace Robotics.Runtime.Tests;

public sealed class ZeroAllocationTests
{
    [Fact]
    public void Steady_state_ticks_with_a_real_policy_and_telemetry_allocate_nothing()
    {
        var contract = TestRobot.Policy();
        var clock = new FakeClock { WakeLatency = 7 };
        var transport = new FakeTransport(contract.Robot, clock);
        transport.State.JointPositions[0] = 0.1;
        transport.State.JointVelocities[1] = -0.5;
        using var policy = OnnxPolicy.Load(TestRobot.PolicyModel);
        var file = Path.Combine(Path.GetTempPath(), $"robotics-telemetry-{Environment.ProcessId}.csv");
        var telemetry = new TelemetryWriter(file, contract.Robot.Actuators.Select(a => a.Name).ToList(), capacity: 1 << 16);
        try
        {
            var loop = new ControlLoop(transport, policy, contract, new ContractObservationSource(contract),
                new ControlLoopOptions { RateHz = 1000 }, clock, telemetry);
            loop.Start(clock.Now);
            for (int i = 0; i < 500; i++) loop.Step(); // warm up: first inference, JIT tiers

            int windows = Allocations.AssertOneCleanWindow(() => loop.Step(), calls: 5000, "the control tick");

            Assert.Equal(LoopPhase.Running, loop.Phase);
            Assert.Equal(500 + 5000 * windows, transport.CommandsSent);
        }
        finally
        {
            telemetry.Dispose();
            File.Delete(file);
        }
    }
}
