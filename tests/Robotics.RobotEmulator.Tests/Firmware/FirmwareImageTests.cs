using Robotics.FirmwareInterface.Firmware;
using Robotics.RobotEmulator.Firmware;
using Robotics.Sim.Tasks;

namespace Robotics.RobotEmulator.Tests.Firmware;

/// <summary>What the firmware image is built from: the robot's configuration header, and the boards it is built for.</summary>
public sealed class FirmwareImageTests
{
    [Fact]
    public void The_configuration_header_carries_the_contracts_identity_limits_and_watchdog()
    {
        var contract = TaskCatalog.Load("reacher").RobotContract;
        var limits = new FirmwareLimits([-0.5f, -2f], [0.25f, 2f], [0f, 0f], TimeSpan.FromMilliseconds(40));

        var header = FirmwareImage.ConfigHeader(contract, limits);

        Assert.Contains($"#define RL_ROBOT_NAME \"{contract.Robot}\"", header);
        Assert.Contains($"#define RL_ROBOT_CONTRACT_HASH 0x{contract.ShortHash:x16}ull", header);
        Assert.Contains($"#define RL_ROBOT_JOINTS {contract.Joints.Count}u", header);
        Assert.Contains($"#define RL_ROBOT_ACTUATORS {contract.Actuators.Count}u", header);
        Assert.Contains("#define RL_ROBOT_WATCHDOG_US 40000u", header);
        Assert.Contains("#define RL_ROBOT_COMMAND_MIN {-0.5f, -2.0f}", header);
        Assert.Contains("#define RL_ROBOT_COMMAND_MAX {0.25f, 2.0f}", header);
        Assert.Contains("#define RL_ROBOT_SAFE_TARGET {0.0f, 0.0f}", header);
    }

    [Fact]
    public void A_limit_that_is_not_a_finite_number_is_refused()
    {
        var contract = TaskCatalog.Load("cartpole-balance").RobotContract;
        var limits = new FirmwareLimits([float.NegativeInfinity], [1f], [0f], TimeSpan.FromMilliseconds(25));

        var error = Assert.Throws<ArgumentException>(() => FirmwareImage.ConfigHeader(contract, limits));

        Assert.Contains("finite", error.Message);
    }

    [Fact]
    public void An_unknown_board_is_refused_with_the_known_ones_named()
    {
        var error = Assert.Throws<ArgumentException>(() => FirmwareTarget.Check("stm32f4discovery"));

        Assert.Contains("stm32f4discovery", error.Message);
        Assert.Contains("lm3s6965evb", error.Message);
        Assert.Contains("netduinoplus2", error.Message);
    }
}
