using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using Robotics.Runtime.Deployment;
using Robotics.Runtime.Safety;
using Robotics.Runtime.Telemetry;

namespace Robotics.RobotRuntime;

/// <summary><c>robotics-runtime run</c>: drives the robot, as <c>robotics run</c> does, through the same deployment code.</summary>
internal static class RunVerb
{
    public static Command Create()
    {
        var policy = new Option<FileInfo>("--policy") { Description = "the ONNX model written by 'robotics export'", Required = true };
        var link = new Option<string>("--link") { Description = Verb.LinkHelp, Required = true };
        var rate = new Option<double?>("--rate") { Description = "control rate in Hz, 1 to 1000 (default: the rate in the policy's contract)" };
        var duration = new Option<double?>("--duration") { Description = "stop after this many seconds (default: until Ctrl-C or SIGTERM)" };
        var robotContract = new Option<FileInfo?>("--robot-contract") { Description = "the robot's contract (JSON, as 'robotics contract' prints); differences from the policy's are named" };
        var commandValues = new Option<string?>("--command") { Description = "the command the policy observes, comma-separated in contract order (default: middle of each trained range)" };
        var commandFile = new Option<FileInfo?>("--command-file") { Description = "a CSV of time_s,value1,value2,...: the command changes over the run, interpolated between rows" };
        var commandHold = new Option<bool>("--command-hold") { Description = "with --command-file, hold each row until the next instead of interpolating" };
        var commandLive = new Option<bool>("--command-live") { Description = "read the command from standard input while running, one line of comma-separated values (or a JSON array) per update" };
        var rampDown = new Option<double>("--ramp-down") { Description = "seconds to ramp to the safe state on stop or fault", DefaultValueFactory = _ => 0.5 };
        var watchdog = new Option<int>("--watchdog-periods") { Description = "commanding this many periods without a newer robot state is a fault", DefaultValueFactory = _ => 5 };
        var maxChange = new Option<double>("--max-change") { Description = "largest command change per second, as a fraction of each actuator's range", DefaultValueFactory = _ => 10 };
        var handshake = new Option<double>("--handshake-timeout") { Description = "seconds to wait for the robot's handshake", DefaultValueFactory = _ => 2 };
        var telemetry = new Option<FileInfo?>("--telemetry") { Description = "per-tick telemetry CSV (robot state, command, timing); a .summary.json is written beside it" };
        var json = new Option<bool>("--json") { Description = "print the summary as JSON" };
        var realtime = new Option<bool>("--realtime") { Description = "run the control thread under the real-time FIFO scheduler (root or CAP_SYS_NICE)" };
        var command = new Command("run", "Drive a robot with an exported policy at a fixed rate, behind the safety layer, with telemetry.")
        {
            policy, link, rate, duration, robotContract, commandValues, commandFile, commandHold, commandLive,
            rampDown, watchdog, maxChange, handshake, telemetry, json, realtime,
        };
        command.SetAction(parse => Verb.Guard("run", () => Run(new DeploymentOptions
        {
            PolicyPath = parse.GetValue(policy)!.FullName,
            Link = parse.GetValue(link)!,
            RateHz = parse.GetValue(rate),
            Duration = parse.GetValue(duration) is { } s ? TimeSpan.FromSeconds(s) : null,
            RobotContractPath = parse.GetValue(robotContract)?.FullName,
            Command = new CommandOptions
            {
                Fixed = parse.GetValue(commandValues),
                ProfilePath = parse.GetValue(commandFile)?.FullName,
                HoldProfile = parse.GetValue(commandHold),
                Live = parse.GetValue(commandLive) ? Console.In : null,
            },
            Safety = new SafetyOptions
            {
                RampDown = TimeSpan.FromSeconds(parse.GetValue(rampDown)),
                WatchdogPeriods = parse.GetValue(watchdog),
                MaxChangePerSecond = parse.GetValue(maxChange),
            },
            HandshakeTimeout = TimeSpan.FromSeconds(parse.GetValue(handshake)),
            TelemetryPath = parse.GetValue(telemetry)?.FullName,
            Realtime = parse.GetValue(realtime),
        }, parse.GetValue(json))));
        return command;
    }

    private static int Run(DeploymentOptions options, bool json)
    {
        using var deployment = RobotDeployment.Prepare(options, Verb.Links());
        using var stop = new CancellationTokenSource();
        // Ctrl-C and systemd's SIGTERM ramp down to the safe state instead of ending the process mid-command.
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        var p = deployment.Policy;
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"driving '{deployment.Handshake.RobotName}' with {p.Algorithm} policy '{p.RunName}' (step {p.Step}) at {deployment.RateHz} Hz; Ctrl-C ramps down and stops"));
        var result = deployment.Run(stop.Token, Console.Error.WriteLine);
        var text = RunSummaryJson.Serialize(result.Summary);
        if (options.TelemetryPath is { } telemetry) File.WriteAllText(Path.ChangeExtension(telemetry, ".summary.json"), text);
        Console.WriteLine(json ? text : result.Summary.ToText());
        return result.ExitCode;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }
}
