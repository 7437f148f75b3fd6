using System.CommandLine;
using System.Globalization;
using Robotics.Contract;
using Robotics.FirmwareInterface.Benchmarks;
using Robotics.FirmwareInterface.Transport;
using Robotics.RobotEmulator;
using Robotics.RobotEmulator.Firmware;
using Robotics.Runtime.Transport;

namespace Robotics.Cli.Commands;

/// <summary>
/// <c>robotics bench serial [--firmware TARGET]</c>: command-to-state round trip over a pseudo-terminal through the
/// serial transport, answered in process or by the C firmware in QEMU.
/// </summary>
internal static class BenchSerialCommand
{
    public static Command Create()
    {
        var json = JsonOutput.Option();
        var defaults = new SerialRoundTripOptions();
        var rate = new Option<double>("--rate") { Description = "commands per second", DefaultValueFactory = _ => defaults.RateHz };
        var seconds = new Option<double>("--seconds") { Description = "how long to run", DefaultValueFactory = _ => defaults.Duration.TotalSeconds };
        var baud = new Option<int>("--baud") { Description = "baud rate set on the device (a pseudo-terminal ignores it; the wire time is computed from it)", DefaultValueFactory = _ => defaults.BaudRate };
        var joints = new Option<int>("--joints") { Description = "joints in each state frame", DefaultValueFactory = _ => defaults.Joints };
        var actuators = new Option<int>("--actuators") { Description = "targets in each command frame", DefaultValueFactory = _ => defaults.Actuators };
        var firmware = new Option<string?>("--firmware")
        {
            Description = $"answer through the C firmware for this board in QEMU ({string.Join(", ", FirmwareTarget.Known)}) instead of an in-process echo; joints and actuators are then the robot's",
        };
        var robot = new Option<string>("--robot") { Description = "with --firmware: the robot (or task) the image is built for", DefaultValueFactory = _ => "cartpole" };
        var command = new Command("serial", "Command-to-state round trip p50/p99 and frames lost over a pseudo-terminal, through SerialRobotTransport.")
        {
            json, rate, seconds, baud, joints, actuators, firmware, robot,
        };
        command.SetAction(parse => CliErrors.Known.Run("robotics bench serial", () =>
        {
            var options = new SerialRoundTripOptions
            {
                RateHz = parse.GetValue(rate),
                Duration = TimeSpan.FromSeconds(parse.GetValue(seconds)),
                BaudRate = parse.GetValue(baud),
                Joints = parse.GetValue(joints),
                Actuators = parse.GetValue(actuators),
            };
            SerialRoundTripReport report;
            if (parse.GetValue(firmware) is { } target)
            {
                var contract = EmulatedRobotTask.Load(parse.GetValue(robot)!).RobotContract;
                options = options with { Joints = contract.Joints.Count, Actuators = contract.Actuators.Count };
                report = SerialRoundTripBenchmark.Run(options, new FirmwareEchoRobot(contract, FirmwareTarget.Check(target)));
            }
            else
            {
                report = SerialRoundTripBenchmark.Run(options);
            }

            JsonOutput.Print(parse.GetValue(json), report, Format);
            return report.MeetsGoal ? 0 : 3;
        }));
        return command;
    }

    private static string Format(SerialRoundTripReport r) => string.Create(CultureInfo.InvariantCulture,
        $"serial round trip at {r.RateHz:0} Hz for {r.Seconds:0.#} s, {r.Joints} joints, {r.Actuators} actuators, {r.BaudRate} baud:\n"
        + $"  commands {r.CommandsSent}, answered and timed {r.Answered}, superseded before read {r.Superseded}, lost {r.Lost}, bad checksums {r.BadChecksums}, sequence gaps {r.SequenceGaps}\n"
        + $"  round trip p50 {r.P50Micros:0} µs, p99 {r.P99Micros:0} µs, max {r.MaxMicros:0} µs (pseudo-terminal); wire time at {r.BaudRate} baud +{r.WireMicrosAtBaud:0} µs\n"
        + $"  {r.ProcessorCount} cores, load average {r.LoadAverageBefore} before, {r.LoadAverageAfter} after\n"
        + $"  goal: {r.Goal}: {(r.MeetsGoal ? "met" : "NOT met")}");
}
