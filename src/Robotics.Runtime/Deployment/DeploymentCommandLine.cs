using System.CommandLine;
using Robotics.Runtime.Safety;

namespace Robotics.Runtime.Deployment;

/// <summary>
/// The command-line options that <c>robotics run</c> and <c>robotics-runtime run</c> share, declared once: the policy,
/// the rate and duration, the robot's contract, the operator's command, the safety limits, the summary format and the
/// real-time scheduler. Each program adds how it names the robot and where telemetry goes.
/// </summary>
public sealed class DeploymentCommandLine
{
    public Option<FileInfo> Policy { get; } = new("--policy") { Description = "the ONNX model written by 'robotics export'", Required = true };
    public Option<double?> Rate { get; } = new("--rate") { Description = "control rate in Hz, 1 to 1000 (default: the rate in the policy's contract)" };
    public Option<double?> Duration { get; }
    public Option<FileInfo?> RobotContract { get; } = new("--robot-contract") { Description = "the robot's contract (JSON, as 'robotics contract' prints); differences from the policy's are named" };
    public Option<string?> CommandValues { get; } = new("--command") { Description = "the command the policy observes, comma-separated in contract order (default: middle of each trained range)" };
    public Option<FileInfo?> CommandFile { get; } = new("--command-file") { Description = "a CSV of time_s,value1,value2,...: the command changes over the run, interpolated between rows" };
    public Option<bool> CommandHold { get; } = new("--command-hold") { Description = "with --command-file, hold each row until the next instead of interpolating" };
    public Option<bool> CommandLive { get; } = new("--command-live") { Description = "read the command from standard input while running, one line of comma-separated values (or a JSON array) per update" };
    public Option<double> RampDown { get; } = new("--ramp-down") { Description = "seconds to ramp to the safe state on stop or fault", DefaultValueFactory = _ => 0.5 };
    public Option<int> WatchdogPeriods { get; } = new("--watchdog-periods") { Description = "commanding this many periods without a newer robot state is a fault", DefaultValueFactory = _ => 5 };
    public Option<double> MaxChange { get; } = new("--max-change") { Description = "largest command change per second, as a fraction of each actuator's range", DefaultValueFactory = _ => 10 };
    public Option<bool> Json { get; } = new("--json") { Description = "print the summary as JSON" };
    public Option<bool> Realtime { get; } = new("--realtime") { Description = "run the control thread under the real-time FIFO scheduler (Linux, root or CAP_SYS_NICE)" };

    /// <param name="stoppedBy">What ends a run without --duration, as the program handles it (e.g. "Ctrl-C or SIGTERM").</param>
    public DeploymentCommandLine(string stoppedBy)
    {
        Duration = new("--duration") { Description = $"stop after this many seconds (default: until {stoppedBy})" };
    }

    /// <summary>Adds the shared options to <paramref name="command"/>; the program adds how it names the robot after them.</summary>
    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { Policy, Rate, Duration, RobotContract, CommandValues, CommandFile, CommandHold, CommandLive, RampDown, WatchdogPeriods, MaxChange, Json, Realtime })
            command.Options.Add(option);
    }

    /// <summary>The deployment the shared options describe, driving the robot behind <paramref name="link"/>.</summary>
    public DeploymentOptions Read(ParseResult parse, string link, string? telemetryPath) => new()
    {
        PolicyPath = parse.GetValue(Policy)!.FullName,
        Link = link,
        RateHz = parse.GetValue(Rate),
        Duration = parse.GetValue(Duration) is { } s ? TimeSpan.FromSeconds(s) : null,
        RobotContractPath = parse.GetValue(RobotContract)?.FullName,
        Command = new CommandOptions
        {
            Fixed = parse.GetValue(CommandValues),
            ProfilePath = parse.GetValue(CommandFile)?.FullName,
            HoldProfile = parse.GetValue(CommandHold),
            Live = parse.GetValue(CommandLive) ? Console.In : null,
        },
        Safety = new SafetyOptions
        {
            RampDown = TimeSpan.FromSeconds(parse.GetValue(RampDown)),
            WatchdogPeriods = parse.GetValue(WatchdogPeriods),
            MaxChangePerSecond = parse.GetValue(MaxChange),
        },
        TelemetryPath = telemetryPath,
        Realtime = parse.GetValue(Realtime),
    };
}
