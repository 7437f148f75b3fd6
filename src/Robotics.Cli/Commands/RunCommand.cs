using System.CommandLine;
using System.Globalization;
using Robotics.Contract;
using Robotics.FirmwareInterface.Transport;
using Robotics.RobotEmulator;
using Robotics.Runtime.Deployment;
using Robotics.Runtime.Policy;
using Robotics.Runtime.Safety;
using Robotics.Runtime.Telemetry;
using Robotics.Runtime.Transport;
using Robotics.Sim.Tasks;

namespace Robotics.Cli.Commands;

/// <summary>
/// <c>robotics run --policy policy.onnx --link LINK</c>: drives a robot with an exported policy at a fixed rate, behind
/// the safety layer, and writes per-tick telemetry, through the same deployment code as the robot program. Here the
/// links also include <c>sim:ROBOT</c>, MuJoCo in wall-clock time.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var policy = new Option<FileInfo>("--policy") { Description = "the ONNX model written by 'robotics export'", Required = true };
        var link = new Option<string?>("--link") { Description = "the robot: serial:/dev/ttyACM0?baud=921600, sim:ROBOT (MuJoCo in wall-clock time; ROBOT is a robot or task name, or a robot or task .yaml file) or loopback (dry run, no physics)" };
        var port = new Option<string?>("--port") { Description = "short for --link serial:PATH" };
        var baud = new Option<int>("--baud") { Description = "serial baud rate with --port", DefaultValueFactory = _ => SerialLink.DefaultBaudRate };
        var sim = new Option<string?>("--sim") { Description = "short for --link sim:ROBOT: a robot or task name, or the path of a robot or task .yaml file" };
        var loopback = new Option<bool>("--loopback") { Description = "short for --link loopback" };
        var rate = new Option<double?>("--rate") { Description = "control rate in Hz, 1 to 1000 (default: the rate in the policy's contract)" };
        var duration = new Option<double?>("--duration") { Description = "stop after this many seconds (default: until Ctrl-C)" };
        var robotContract = new Option<FileInfo?>("--robot-contract") { Description = "the robot's contract (JSON, as 'robotics contract' prints); differences from the policy's are named" };
        var commandValues = new Option<string?>("--command") { Description = "the command the policy observes, comma-separated in contract order (default: middle of each trained range)" };
        var commandFile = new Option<FileInfo?>("--command-file") { Description = "a CSV of time_s,value1,value2,...: the command changes over the run, interpolated between rows" };
        var commandHold = new Option<bool>("--command-hold") { Description = "with --command-file, hold each row until the next instead of interpolating" };
        var commandLive = new Option<bool>("--command-live") { Description = "read the command from standard input while running, one line of comma-separated values (or a JSON array) per update" };
        var rampDown = new Option<double>("--ramp-down") { Description = "seconds to ramp to the safe state on stop or fault", DefaultValueFactory = _ => 0.5 };
        var watchdog = new Option<int>("--watchdog-periods") { Description = "commanding this many periods without a newer robot state is a fault", DefaultValueFactory = _ => 5 };
        var maxChange = new Option<double>("--max-change") { Description = "largest command change per second, as a fraction of each actuator's range", DefaultValueFactory = _ => 10 };
        var telemetry = new Option<FileInfo?>("--telemetry") { Description = "per-tick telemetry CSV (default: runs/deploy/<time>/telemetry.csv)" };
        var json = new Option<bool>("--json") { Description = "print the summary as JSON" };
        var realtime = new Option<bool>("--realtime") { Description = "run the control thread under the real-time FIFO scheduler (Linux, root or CAP_SYS_NICE)" };
        var command = new Command("run", "Run an exported policy on a robot at a fixed rate, with the safety layer and telemetry.")
        {
            policy, link, port, baud, sim, loopback, rate, duration, robotContract, commandValues, commandFile, commandHold, commandLive,
            rampDown, watchdog, maxChange, telemetry, json, realtime,
        };
        command.SetAction(parse =>
        {
            try
            {
                var telemetryPath = parse.GetValue(telemetry)?.FullName
                    ?? Path.Combine("runs", "deploy", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture), "telemetry.csv");
                var options = new DeploymentOptions
                {
                    PolicyPath = parse.GetValue(policy)!.FullName,
                    Link = LinkOf(parse.GetValue(link), parse.GetValue(port), parse.GetValue(baud), parse.GetValue(sim), parse.GetValue(loopback)),
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
                    TelemetryPath = telemetryPath,
                    Realtime = parse.GetValue(realtime),
                };
                return Run(options, parse.GetValue(json));
            }
            catch (Exception e) when (e is PolicyLoadException or ContractMismatchException or RobotLinkException or ArgumentException or ConfigException or NotSupportedException or IOException)
            {
                Console.Error.WriteLine($"robotics run: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    /// <summary>The links of the full command line: the robot program's, and the simulated robot.</summary>
    internal static RobotLinkCatalog Links() => RobotLinkCatalog.WithLoopback().AddSerial()
        .Register("sim", "sim:ROBOT[?truth=FILE] (a simulated robot, MuJoCo in wall-clock time; a robot or task name, or a robot or task .yaml file; truth= logs the base's true velocity, height and tilt as CSV)", (address, request) =>
        {
            address.RequireOnly("truth");
            var name = address.Target;
            var policy = request.Policy;
            // Start the simulated robot in the policy's own task when it is this robot's, so it starts as in training.
            var task = name == policy.Robot.Robot && TaskCatalog.IsTask(policy.Task) ? TaskCatalog.Load(policy.Task) : EmulatedRobotTask.Load(name);
            address.Parameters.TryGetValue("truth", out var truth);
            return new RobotLinkMade(new SimulatedRobotTransport(task, truthPath: truth), task.RobotContract);
        });

    private static string LinkOf(string? link, string? port, int baud, string? sim, bool loopback)
    {
        var chosen = new[] { link, port is null ? null : $"serial:{port}?baud={baud}", sim is null ? null : $"sim:{sim}", loopback ? "loopback" : null }
            .Where(l => l is not null).ToList();
        if (chosen.Count != 1)
            throw new ArgumentException("choose exactly one robot: --link LINK, --port PATH (serial firmware), --sim ROBOT (simulated robot) or --loopback (dry run)");
        return chosen[0]!;
    }

    private static int Run(DeploymentOptions options, bool json)
    {
        using var deployment = RobotDeployment.Prepare(options, Links());
        using var stop = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true; // ramp down instead of dying mid-command
            stop.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            var p = deployment.Policy;
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"driving '{deployment.Handshake.RobotName}' with {p.Algorithm} policy '{p.RunName}' (step {p.Step}) at {deployment.RateHz} Hz; Ctrl-C ramps down and stops"));
            var result = deployment.Run(stop.Token, Console.Error.WriteLine);
            var summary = result.Summary;
            var text = RunSummaryJson.Serialize(summary);
            if (options.TelemetryPath is { } telemetry) File.WriteAllText(Path.ChangeExtension(telemetry, ".summary.json"), text);
            Console.WriteLine(json ? text : summary.ToText());
            return result.ExitCode;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }
}
