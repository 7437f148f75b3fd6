using Robotics.Contract;
using Robotics.FirmwareInterface.Protocol;
using Robotics.Sim.Tasks;

namespace Robotics.RobotEmulator.Tests;

public sealed class SimulatedRobotTransportTests
{
    [Fact]
    public void Steps_in_wall_clock_time_and_applies_commands_under_the_firmware_rules()
    {
        using var robot = SimulatedRobotTransport.Create("cartpole");
        var handshake = robot.Open(TimeSpan.FromSeconds(1));
        Assert.Equal(TaskCatalog.Load("cartpole-balance").RobotContract.ShortHash, handshake.ContractHash);
        var state = new RobotState(handshake.JointCount);
        Eventually.True(() => robot.TryReadLatestState(state), "the first state arrives");
        var start = state.JointPositions[0];

        Eventually.True(() =>
        {
            robot.TryReadLatestState(state);
            robot.SendCommand(state.Sequence, [-20f]);
            return state.JointPositions[0] < start - 0.05;
        }, "the cart moves in the pushed direction");

        Assert.Equal(-10f, robot.Rules.Targets[0]);
        Assert.Equal((uint)FaultCode.CommandClamped, robot.Statistics.LastFaultCode);
    }

    [Fact]
    public void An_emergency_stop_puts_the_simulated_robot_in_the_safe_state()
    {
        using var robot = SimulatedRobotTransport.Create("cartpole");
        robot.Open(TimeSpan.FromSeconds(1));
        var state = new RobotState(2);
        Eventually.True(() => robot.TryReadLatestState(state), "the first state arrives");
        robot.SendCommand(state.Sequence, [5f]);

        robot.SendEmergencyStop();

        Eventually.True(() => robot.TryReadLatestState(state) && (state.StatusFlags & (uint)RobotStatusFlags.EmergencyStop) != 0, "the stop is latched");
        Assert.True((state.StatusFlags & (uint)RobotStatusFlags.SafeState) != 0);
    }
}
