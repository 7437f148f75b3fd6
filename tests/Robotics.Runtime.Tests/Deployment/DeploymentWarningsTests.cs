using Robotics.Runtime.Deployment;
using Robotics.Runtime.Safety;

namespace Robotics.Runtime.Tests.Deployment;

public sealed class DeploymentWarningsTests
{
    [Fact]
    public void A_policy_run_as_trained_gets_no_warning()
    {
        var contract = TestRobot.Policy() with { ActionMaxChangePerSecond = 10 };

        Assert.Empty(RobotDeployment.Warnings(contract, 50, new SafetyOptions { MaxChangePerSecond = 10 }));
        Assert.Empty(RobotDeployment.Warnings(contract, 50, new SafetyOptions { MaxChangePerSecond = 1000 }));
        Assert.Empty(RobotDeployment.Warnings(TestRobot.Policy(), 50, new SafetyOptions { MaxChangePerSecond = 0.5 }));
    }

    [Fact]
    public void A_rate_limit_below_the_trained_one_is_named_with_both_values()
    {
        var contract = TestRobot.Policy() with { ActionMaxChangePerSecond = 10 };

        var warning = Assert.Single(RobotDeployment.Warnings(contract, 50, new SafetyOptions { MaxChangePerSecond = 4 }));

        Assert.Equal("warning: --max-change 4 is below the rate limit the policy was trained under (10): the safety layer will cut steps the policy relies on", warning);
    }

    [Fact]
    public void A_control_rate_other_than_the_trained_one_is_named()
    {
        var warning = Assert.Single(RobotDeployment.Warnings(TestRobot.Policy(), 100, new SafetyOptions()));

        Assert.Equal("warning: running at 100 Hz; the policy was trained at 50 Hz", warning);
    }
}
