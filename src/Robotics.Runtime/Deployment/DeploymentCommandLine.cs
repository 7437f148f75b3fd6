using System.CommandLine;
using System.Globalization;
using Robotics.Contract.CommandLine;
using Robotics.Runtime.Safety;
using Robotics.Runtime.Telemetry;
using Robotics.Runtime.Transport;

namespace Robotics.Runtime.Deployment;

/// <summary>
/// The command-line options that <c>robotics run</c> and <c>robotics-runtime run</c> share, declared once: the policy,
/// the robot link, the rate and duration, the robot's contract and handshake, the operator's command, the safety
/// limits, telemetry, the summary format and the real-time scheduler. Defaults are those of
/// <see cref="DeploymentOptions"/> and <see cref="SafetyOptions"/>. Each program says which links it knows and
/// where telemetry goes by default, and may add shorthands for the link.
/// </summary>
public sealed class DeploymentCommandLine
{
    private static readonly SafetyOptions SafetyDefaults = new();

    public Option<FileInfo> Policy { get; } = new("--policy") { Description = "the ONNX model written by 'robotics export'", Required = true };
    public Option<double?> Rate { get; } = new("--rate") { Description = "control rate in Hz, 1 to 1000 (default: the rate in the policy's contract)" };
    public Option<string?> Link { get; }
    public Option<double?> Duration { get; }
    public Option<FileInfo?> RobotContract { get; } = new("--robot-contract") { Description = "the robot's contract (JSON, as 'robotics contract' prints); differences from the policy's are named" };
    public Option<string?> CommandValues { get; } = new("--command") { Description = "the command the policy observes, comma-separated in contract order (default: middle of each trained range)" };
    public Option<FileInfo?> CommandFile { get; } = new("--command-file") { Description = "a CSV of time_s,value1,value2,...: the command changes over the run, interpolated between rows" };
    public Option<bool> CommandHold { get; } = new("--command-hold") { Description = "with --command-file, hold each row until the next instead of interpolating" };
    public Option<bool> CommandLive { get; } = new("--command-live") { Description = "read the command from standard input while running, one line of comma-separated values (or a JSON array) per update" };
    public Option<double> RampDown { get; } = new("--ramp-down") { Description = "seconds to ramp to the safe state on stop or fault", DefaultValueFactory = _ => SafetyDefaults.RampDown.TotalSeconds };
    public Option<int> WatchdogPeriods { get; } = new("--watchdog-periods") { Description = "commanding this many periods without a newer robot state is a fault", DefaultValueFactory = _ => SafetyDefaults.WatchdogPeriods };
    public Option<double> MaxChange { get; } = new("--max-change") { Description = "largest command change per second, as a fraction of each actuator's range", DefaultValueFactory = _ => SafetyDefaults.MaxChangePerSecond };
    public Option<double> HandshakeTimeout { get; } = HandshakeTimeoutOption();
    public Option<FileInfo?> Telemetry { get; }
    public Option<bool> Json { get; } = new("--json") { Description = "print the summary as JSON" };
    public Option<bool> Realtime { get; } = new("--realtime") { Description = "run the control thread under the real-time FIFO scheduler (Linux, root or CAP_SYS_NICE)" };

    /// <param name="stoppedBy">What ends a run without --duration, as the program handles it (e.g. "Ctrl-C or SIGTERM").</param>
    /// <param name="linkHelp">The links this program knows; <paramref name="linkRequired"/> when it has no shorthand for them.</param>
    /// <param name="telemetryHelp">Where telemetry goes, and where by default.</param>
    public DeploymentCommandLine(string stoppedBy, string linkHelp, bool linkRequired, string telemetryHelp)
    {
        Link = new("--link") { Description = linkHelp, Required = linkRequired };
        Duration = new("--duration") { Description = $"stop after this many seconds (default: until {stoppedBy})" };
        Telemetry = new("--telemetry") { Description = telemetryHelp };
    }

    /// <summary>The --handshake-timeout option, also for verbs that only shake hands (robotics-runtime check).</summary>
    public static Option<double> HandshakeTimeoutOption() => new("--handshake-timeout")
    {
        Description = "seconds to wait for the robot's handshake",
        DefaultValueFactory = _ => DeploymentOptions.DefaultHandshakeTimeout.TotalSeconds,
    };

    /// <summary>Adds the shared options to <paramref name="command"/>; the program adds its shorthands for the link after them.</summary>
    public void AddTo(Command command)
    {
        foreach (Option option in new Option[]
                 {
                     Policy, Link, Rate, Duration, RobotContract, CommandValues, CommandFile, CommandHold, CommandLive, RampDown, WatchdogPeriods, MaxChange,
                     HandshakeTimeout, Telemetry, Json, Realtime,
                 })
            command.Options.Add(option);
    }

    /// <summary>The deployment the shared options describe, driving the robot behind <paramref name="link"/>, telemetry to <paramref name="telemetryPath"/>.</summary>
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
        HandshakeTimeout = TimeSpan.FromSeconds(parse.GetValue(HandshakeTimeout)),
        TelemetryPath = telemetryPath,
        Realtime = parse.GetValue(Realtime),
    };

    /// <summary>
    /// Drives the robot until the duration, a fault, Ctrl-C or SIGTERM (which ramp down to the safe state instead of
    /// ending the process mid-command); prints the summary, writes it beside the telemetry, and returns the exit code.
    /// </summary>
    public static int Drive(DeploymentOptions options, RobotLinkCatalog links, bool json)
    {
        using var deployment = RobotDeployment.Prepare(options, links);
        using var stop = new StopSignal();
        var p = deployment.Policy;
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"driving '{deployment.Handshake.RobotName}' with {p.Algorithm} policy '{p.RunName}' (step {p.Step}) at {deployment.RateHz} Hz; Ctrl-C ramps down and stops"));
        var result = deployment.Run(stop.Token, Console.Error.WriteLine);
        var text = RunSummaryJson.Serialize(result.Summary);
        if (options.TelemetryPath is { } telemetry) File.WriteAllText(Path.ChangeExtension(telemetry, ".summary.json"), text);
        Console.WriteLine(json ? text : result.Summary.ToText());
        return result.ExitCode;
    }
}
