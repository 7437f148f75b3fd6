using Robotics.Contract;
using Robotics.Runtime.Transport;

namespace Robotics.Runtime.Tests.Transport;

public sealed class LoopbackRobotTransportTests
{
    [Fact]
    public void Handshake_reports_the_contract_it_stands_in_for()
    {
        var contract = TestRobot.Contract();
        using var robot = new LoopbackRobotTransport(contract);

        var handshake = robot.Open(TimeSpan.FromSeconds(1));

        Assert.Equal(contract.ShortHash, handshake.ContractHash);
        Assert.Equal("two_link", handshake.RobotName);
        Assert.Equal(50, handshake.ControlRateHz);
    }

    [Fact]
    public void Position_joint_moves_toward_its_target_and_stays_inside_its_limits()
    {
        using var robot = new LoopbackRobotTransport(TestRobot.Contract());
        robot.Open(TimeSpan.FromSeconds(1));
        var state = new RobotState(2);

        for (int i = 0; i < 200; i++)
        {
            robot.TryReadLatestState(state);
            robot.SendCommand(state.Sequence, [2.0f, 0f]);
        }

        robot.TryReadLatestState(state);
        Assert.Equal(0.8, state.JointPositions[0], 6); // the target lies past the hip's 0.8 limit
        Assert.Equal(201u, state.Sequence);
    }
}
