using Robotics.Contract;
using Robotics.Runtime.Policy;
using Robotics.Runtime.Transport;

namespace Robotics.Runtime.Tests.Policy;

public sealed class ContractCheckTests
{
    private static RobotHandshake HandshakeOf(RobotContract robot) =>
        new(1, robot.Robot, robot.ShortHash, robot.Joints.Count, robot.Actuators.Count, 100, robot.ControlRateHz);

    [Fact]
    public void Identical_contracts_and_a_matching_handshake_are_accepted()
    {
        var policy = TestRobot.Policy();

        Assert.Empty(ContractCheck.Differences(policy, TestRobot.Contract(), HandshakeOf(TestRobot.Contract())));
    }

    [Fact]
    public void A_changed_joint_limit_is_refused_naming_the_joint()
    {
        var robot = TestRobot.Contract();
        robot = robot with { Joints = [robot.Joints[0], robot.Joints[1] with { EffortMax = 6.0 }] };

        var error = Assert.Throws<ContractMismatchException>(() => ContractCheck.Require(TestRobot.Policy(), robot, null));

        var difference = Assert.Single(error.Differences);
        Assert.Contains("joints[1]", difference);
        Assert.Contains("knee", difference);
        Assert.Contains("EffortMax = 6", difference);
    }

    [Fact]
    public void Swapped_actuator_order_is_refused_naming_both_positions()
    {
        var robot = TestRobot.Contract();
        robot = robot with { Actuators = [robot.Actuators[1], robot.Actuators[0]] };

        var error = Assert.Throws<ContractMismatchException>(() => ContractCheck.Require(TestRobot.Policy(), robot, HandshakeOf(robot)));

        Assert.Contains(error.Differences, d => d.Contains("actuators[0]"));
        Assert.Contains(error.Differences, d => d.Contains("actuators[1]"));
        Assert.Contains(error.Differences, d => d.Contains("handshake contract hash"));
    }

    [Fact]
    public void Another_task_of_the_robot_differs_only_by_name_and_a_trained_rate_limit_is_part_of_the_actions()
    {
        var policy = TestRobot.Policy();

        Assert.Equal("policy vs task: task 'balance' vs 'balance-shoved'", Assert.Single(ContractCheck.PolicyDifferences(policy, policy with { Task = "balance-shoved" })));
        Assert.Empty(ContractCheck.PolicyDifferences(policy, policy with { Task = "balance-shoved" }, compareTask: false));
        var limited = ContractCheck.PolicyDifferences(policy, policy with { ActionMaxChangePerSecond = 10 }, compareTask: false);
        Assert.Equal("policy vs task: action_max_change_per_second none vs 10", Assert.Single(limited));
    }

    [Fact]
    public void Commands_with_other_ranges_are_refused_naming_the_ranges_that_differ()
    {
        var velocity = new CommandSpec("velocity", ["forward", "yaw_rate"], [-0.3, -0.5], [0.6, 0.5]);
        var policy = TestRobot.Policy() with { Commands = [velocity] };
        var standing = policy with { Commands = [velocity with { Min = [0.0, 0.0], Max = [0.0, 0.0] }] };

        Assert.Equal(
            "policy vs task: commands [velocity: forward -0.3 to 0.6, yaw_rate -0.5 to 0.5] vs [velocity: forward 0 to 0, yaw_rate 0 to 0]",
            Assert.Single(ContractCheck.PolicyDifferences(policy, standing, compareTask: false)));
    }

    [Fact]
    public void A_handshake_from_another_robot_is_refused_naming_hash_name_and_rate()
    {
        var other = TestRobot.Contract() with { Robot = "three_link", ControlRateHz = 100 };

        var differences = ContractCheck.Differences(TestRobot.Policy(), null, HandshakeOf(other));

        Assert.Contains(differences, d => d.Contains("contract hash") && d.Contains("robot's contract file"));
        Assert.Contains(differences, d => d.Contains("'two_link' vs robot 'three_link'"));
        Assert.Contains(differences, d => d.Contains("control rate: policy 50 Hz vs robot 100 Hz"));
    }
}
