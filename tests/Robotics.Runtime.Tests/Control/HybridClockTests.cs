using System.Diagnostics;
using Robotics.Runtime.Control;
using Robotics.Runtime.Observation;
using Robotics.Runtime.Policy;
using Robotics.Runtime.Transport;

namespace Robotics.Runtime.Tests.Control;

public sealed class HybridClockTests
{
    [Fact]
    public void WaitUntil_never_returns_before_the_deadline()
    {
        var clock = new HybridClock(TimeSpan.FromMicroseconds(200));
        for (int i = 0; i < 20; i++)
        {
            var deadline = clock.Now + Stopwatch.Frequency / 2000; // 0.5 ms ahead
            clock.WaitUntil(deadline);
            Assert.True(clock.Now >= deadline);
        }
    }

    [Fact]
    public void A_real_time_run_with_an_exported_policy_and_the_loopback_robot_ends_after_its_duration()
    {
        using var policy = OnnxPolicy.Load(TestRobot.PolicyModel);
        var contract = policy.Metadata.Contract;
        using var robot = new LoopbackRobotTransport(contract.Robot);
        robot.Open(TimeSpan.FromSeconds(1));
        var options = new ControlLoopOptions { RateHz = 500, Duration = TimeSpan.FromSeconds(0.05), Safety = new() { RampDown = TimeSpan.FromSeconds(0.01) } };

        var summary = new ControlLoop(robot, policy, contract, new ContractObservationSource(contract), options, new HybridClock(options.SpinWindow)).Run();

        Assert.Equal("duration_elapsed", summary.StopReason);
        Assert.Equal("none", summary.Fault);
        Assert.True(summary.FramesSent > 0);
        Assert.Equal(summary.FramesSent, robot.Statistics.FramesSent);
    }
}
