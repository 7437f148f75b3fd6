using Robotics.FirmwareInterface.Benchmarks;
using Robotics.RobotEmulator.Firmware;
using Robotics.Sim.Tasks;
using Xunit.Abstractions;

namespace Robotics.RobotEmulator.Tests.Firmware;

/// <summary>The round trip of <c>robotics bench serial --firmware</c>: commands answered through both of the firmware's UARTs in QEMU.</summary>
public sealed class FirmwareRoundTripTests(ITestOutputHelper output)
{
    [Fact]
    public void Commands_are_answered_through_the_firmware_and_its_hardware_bus()
    {
        var contract = TaskCatalog.Load("cartpole-balance").RobotContract;
        var options = new SerialRoundTripOptions { RateHz = 50, Duration = TimeSpan.FromSeconds(2), Joints = contract.Joints.Count, Actuators = contract.Actuators.Count };

        var report = SerialRoundTripBenchmark.Run(options, new FirmwareEchoRobot(contract, "lm3s6965evb"));

        output.WriteLine($"{report.CommandsSent} commands, {report.Answered} answered and timed, {report.Superseded} superseded, {report.Lost} lost; p50 {report.P50Micros:F0} us, p99 {report.P99Micros:F0} us");
        Assert.Equal(100, report.CommandsSent);
        // Answers echo their own command's target, so each is timed from that command. How many come back within
        // the run is the machine's business (on a loaded one QEMU stalls for up to a second, and answers are
        // overwritten by newer ones before they are read); that they come back through both UARTs is the firmware's.
        Assert.True(report.Answered >= 10, $"{report.Answered} answers timed");
        Assert.True(report.P50Micros > 0, "a round trip takes time");
        Assert.Equal(0, report.BadChecksums);
    }
}
