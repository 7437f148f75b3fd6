using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Robotics.FirmwareInterface.Benchmarks;

namespace Robotics.Cli.Commands;

/// <summary><c>robotics bench serial</c>: command-to-state round trip over a pseudo-terminal through the serial transport.</summary>
internal static class BenchSerialCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "print the report as JSON" };
        var rate = new Option<double>("--rate") { Description = "commands per second", DefaultValueFactory = _ => 1000 };
        var seconds = new Option<double>("--seconds") { Description = "how long to run", DefaultValueFactory = _ => 10 };
        var baud = new Option<int>("--baud") { Description = "baud rate set on the device (a pseudo-terminal ignores it; the wire time is computed from it)", DefaultValueFactory = _ => 921_600 };
        var joints = new Option<int>("--joints") { Description = "joints in each state frame", DefaultValueFactory = _ => 2 };
        var actuators = new Option<int>("--actuators") { Description = "targets in each command frame", DefaultValueFactory = _ => 1 };
        var command = new Command("serial", "Command-to-state round trip p50/p99 and frames lost over a pseudo-terminal, through SerialRobotTransport.")
        {
            json, rate, seconds, baud, joints, actuators,
        };
        command.SetAction(parse =>
        {
            var report = SerialRoundTripBenchmark.Run(new SerialRoundTripOptions
            {
                RateHz = parse.GetValue(rate),
                Duration = TimeSpan.FromSeconds(parse.GetValue(seconds)),
                BaudRate = parse.GetValue(baud),
                Joints = parse.GetValue(joints),
                Actuators = parse.GetValue(actuators),
            });
            Console.WriteLine(parse.GetValue(json) ? JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }) : Format(report));
            return report.MeetsGoal ? 0 : 3;
        });
        return command;
    }

    private static string Format(SerialRoundTripReport r) => string.Create(CultureInfo.InvariantCulture,
        $"serial round trip at {r.RateHz:0} Hz for {r.Seconds:0.#} s, {r.Joints} joints, {r.Actuators} actuators, {r.BaudRate} baud:\n"
        + $"  commands {r.CommandsSent}, answered and timed {r.Answered}, superseded before read {r.Superseded}, lost {r.Lost}, bad checksums {r.BadChecksums}, sequence gaps {r.SequenceGaps}\n"
        + $"  round trip p50 {r.P50Micros:0} µs, p99 {r.P99Micros:0} µs, max {r.MaxMicros:0} µs (pseudo-terminal); wire time at {r.BaudRate} baud +{r.WireMicrosAtBaud:0} µs\n"
        + $"  {r.ProcessorCount} cores, load average {r.LoadAverageBefore} before, {r.LoadAverageAfter} after\n"
        + $"  goal: {r.Goal}: {(r.MeetsGoal ? "met" : "NOT met")}");
}
