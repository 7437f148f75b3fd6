using Robotics.RobotEmulator;
using Robotics.RobotEmulator.Firmware;
using Robotics.Runtime.Policy;
using Xunit.Abstractions;

namespace Robotics.Cli.Tests.HardwareInTheLoop;

/// <summary>
/// Runtime ─serial─► C firmware in QEMU (Cortex-M3) ─hardware bus─► MuJoCo cartpole: the exported policy, run by
/// the real runtime, balances the simulated cartpole through the firmware a user flashes onto a robot's board.
/// </summary>
[Collection(HardwareInTheLoopCollection.Name)]
public sealed class FirmwareInTheLoopTests(TrainedCartpolePolicy trained, ITestOutputHelper output)
{
    private const string Task = "cartpole-balance";
    private const string Board = "lm3s6965evb";
    private const double PoleAngleBound = 0.2094; // tilt termination of configs/tasks/cartpole-balance.yaml (12°)
    private const double RateHz = 100;
    private static readonly TimeSpan TenSeconds = TimeSpan.FromSeconds(10);

    [Fact]
    public void The_runtime_keeps_the_cartpole_balanced_for_10_s_at_100_Hz_through_the_firmware_in_QEMU()
    {
        using var loop = FirmwareInTheLoop.Start(EmulatedRobotTask.Load(Task), Board, seed: 11);

        var result = RuntimeThroughFirmware.Run(trained.PolicyPath, loop.HostDevicePath, RateHz, TenSeconds);
        var plantHinge = loop.Plant.JointPositions()[1];
        loop.Plant.Stop();

        output.WriteLine(result.Summary.ToText());
        output.WriteLine($"max |hinge| {result.MaxAbs("hinge"):F4} rad, max |slider| {result.MaxAbs("slider"):F3} m, states read {result.StatesRead}, commands sent {result.CommandsSent}; "
            + $"plant: simulated {loop.Plant.SimulatedSeconds:F2} s, {loop.Plant.SensorFramesSent} sensor frames, {loop.Plant.TargetFramesReceived} actuator frames, {loop.Plant.BadFrames} bad, hinge now {plantHinge:F4} rad");
        Assert.Equal("none", result.Summary.Fault);
        Assert.Equal("duration_elapsed", result.Summary.StopReason);
        Assert.True(result.Summary.Ticks >= 0.8 * 10 * RateHz, $"{result.Summary.Ticks} ticks");
        Assert.True(result.StatesRead >= 0.8 * 10 * RateHz, $"{result.StatesRead} states read");
        Assert.True(loop.Plant.SimulatedSeconds >= 9, $"the plant simulated {loop.Plant.SimulatedSeconds:F2} s");
        Assert.InRange(result.MaxAbs("hinge"), 0, PoleAngleBound);
        Assert.InRange(result.MaxAbs("slider"), 0, 2.4);
        // The simulation itself, not only what the runtime read, ends with the pole up.
        Assert.InRange(Math.Abs(plantHinge), 0, PoleAngleBound);
        Assert.Equal(0, loop.Plant.BadFrames);
    }

    [Fact]
    public void A_policy_for_another_robot_is_refused_on_the_firmwares_contract_hash_before_any_command()
    {
        using var loop = FirmwareInTheLoop.Start(EmulatedRobotTask.Load("reacher"), Board);

        var error = Assert.Throws<ContractMismatchException>(() => RuntimeThroughFirmware.Run(trained.PolicyPath, loop.HostDevicePath, RateHz, TenSeconds));
        Thread.Sleep(100);
        var targets = loop.Plant.Targets();

        output.WriteLine(error.Message);
        Assert.Contains("cartpole", error.Message);
        Assert.Contains("reacher", error.Message);
        Assert.All(targets, target => Assert.Equal(0f, target));
    }
}
