using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Robotics.Contract;
using Robotics.FirmwareInterface.Transport;
using Robotics.RobotEmulator;
using Robotics.Runtime.Control;
using Robotics.Runtime.Observation;
using Robotics.Runtime.Policy;
using Robotics.Runtime.Safety;
using Robotics.Runtime.Telemetry;
using Robotics.Runtime.Transport;
using Robotics.Sim.Tasks;

namespace Robotics.Cli.Commands;

/// <summary>
/// <c>robotics run --policy policy.onnx (--port PATH [--baud N] | --sim ROBOT | --loopback)</c>: drives a robot with an
/// exported policy at a fixed rate, behind the safety layer, and writes per-tick telemetry.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var policy = new Option<FileInfo>("--policy") { Description = "the ONNX model written by 'robotics export'", Required = true };
        var port = new Option<string?>("--port") { Description = "serial device of the robot's firmware, e.g. /dev/ttyACM0" };
        var baud = new Option<int>("--baud") { Description = "serial baud rate", DefaultValueFactory = _ => 921_600 };
        var sim = new Option<string?>("--sim") { Description = "run against a simulated robot (MuJoCo in wall-clock time), by robot name" };
        var loopback = new Option<bool>("--loopback") { Description = "dry run against an in-process stand-in robot (no physics): checks the policy, contract, timing and telemetry" };
        var rate = new Option<double?>("--rate") { Description = "control rate in Hz, 1 to 1000 (default: the rate in the policy's contract)" };
        var duration = new Option<double?>("--duration") { Description = "stop after this many seconds (default: until Ctrl-C)" };
        var robotContract = new Option<FileInfo?>("--robot-contract") { Description = "the robot's contract (JSON, as 'robotics contract' reads); differences from the policy's are named" };
        var commandValues = new Option<string?>("--command") { Description = "the command the policy observes, comma-separated in contract order (default: middle of each trained range)" };
        var rampDown = new Option<double>("--ramp-down") { Description = "seconds to ramp to the safe state on stop or fault", DefaultValueFactory = _ => 0.5 };
        var watchdog = new Option<int>("--watchdog-periods") { Description = "robot state older than this many periods is a fault", DefaultValueFactory = _ => 5 };
        var maxChange = new Option<double>("--max-change") { Description = "largest command change per second, as a fraction of each actuator's range", DefaultValueFactory = _ => 10 };
        var telemetry = new Option<FileInfo?>("--telemetry") { Description = "per-tick telemetry CSV (default: runs/deploy/<time>/telemetry.csv)" };
        var json = new Option<bool>("--json") { Description = "print the summary as JSON" };
        var realtime = new Option<bool>("--realtime") { Description = "run the control thread under the real-time FIFO scheduler (Linux, root or CAP_SYS_NICE)" };
        var command = new Command("run", "Run an exported policy on a robot at a fixed rate, with the safety layer and telemetry.")
        {
            policy, port, baud, sim, loopback, rate, duration, robotContract, commandValues, rampDown, watchdog, maxChange, telemetry, json, realtime,
        };
        command.SetAction(parse =>
        {
            try
            {
                return Run(new RunArguments(
                    parse.GetValue(policy)!.FullName,
                    parse.GetValue(port),
                    parse.GetValue(baud),
                    parse.GetValue(sim),
                    parse.GetValue(loopback),
                    parse.GetValue(rate),
                    parse.GetValue(duration),
                    parse.GetValue(robotContract)?.FullName,
                    parse.GetValue(commandValues),
                    parse.GetValue(rampDown),
                    parse.GetValue(watchdog),
                    parse.GetValue(maxChange),
                    parse.GetValue(telemetry)?.FullName,
                    parse.GetValue(json),
                    parse.GetValue(realtime)));
            }
            catch (Exception e) when (e is PolicyLoadException or ContractMismatchException or RobotLinkException or ArgumentException or ConfigException or NotSupportedException or IOException)
            {
                Console.Error.WriteLine($"robotics run: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private sealed record RunArguments(
        string Policy, string? Port, int Baud, string? Sim, bool Loopback, double? Rate, double? Duration,
        string? RobotContract, string? Command, double RampDown, int WatchdogPeriods, double MaxChange, string? Telemetry, bool Json, bool Realtime);

    private static int Run(RunArguments args)
    {
        using var policy = OnnxPolicy.Load(args.Policy);
        var contract = policy.Metadata.Contract;
        var rate = args.Rate ?? contract.Robot.ControlRateHz;
        var (transport, linkContract) = OpenTransport(args, contract, rate);
        using var link = transport;
        var robot = args.RobotContract is null ? linkContract : RobotContract.FromJson(File.ReadAllText(args.RobotContract));
        ContractCheck.Require(contract, robot, null); // before the link opens: a wrong policy never reaches the robot
        var handshake = transport.Open(TimeSpan.FromSeconds(2));
        ContractCheck.Require(contract, robot, handshake);

        var observations = new ContractObservationSource(contract, ParseCommand(args.Command));
        if (rate != contract.Robot.ControlRateHz)
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"warning: running at {rate} Hz; the policy was trained at {contract.Robot.ControlRateHz} Hz"));
        var options = new ControlLoopOptions
        {
            RateHz = rate,
            Duration = args.Duration is { } s ? TimeSpan.FromSeconds(s) : null,
            Safety = new SafetyOptions
            {
                RampDown = TimeSpan.FromSeconds(args.RampDown),
                WatchdogPeriods = args.WatchdogPeriods,
                MaxChangePerSecond = args.MaxChange,
            },
        };
        options.Validate();

        var telemetryPath = args.Telemetry ?? Path.Combine("runs", "deploy", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture), "telemetry.csv");
        RunSummary summary;
        using (var telemetry = new TelemetryWriter(telemetryPath, contract.Robot.Actuators.Select(a => a.Name).ToList()))
        {
            var loop = new ControlLoop(transport, policy, contract, observations, options, new HybridClock(options.SpinWindow), telemetry);
            Console.CancelKeyPress += (_, e) =>
            {
                e.Cancel = true; // ramp down instead of dying mid-command
                loop.RequestStop();
            };
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"driving '{handshake.RobotName}' with {policy.Metadata.Algorithm} policy '{policy.Metadata.RunName}' (step {policy.Metadata.Step}) at {rate} Hz; Ctrl-C ramps down and stops"));
            summary = RunOnControlThread(loop, args.Realtime);
        }

        File.WriteAllText(Path.ChangeExtension(telemetryPath, ".summary.json"), JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine(args.Json ? JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true }) : summary.ToText());
        return summary.Fault == "none" ? 0 : 2;
    }

    /// <summary>The loop gets a thread of its own at the highest priority the OS grants.</summary>
    internal static RunSummary RunOnControlThread(ControlLoop loop, bool realtime)
    {
        RunSummary? summary = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                if (realtime && RealtimeScheduling.TryEnableForCurrentThread() is { } why)
                    Console.Error.WriteLine($"warning: the control thread runs without real-time priority: {why}");
                summary = loop.Run();
            }
            catch (Exception e)
            {
                failure = e;
            }
        })
        {
            Name = "control loop",
            Priority = ThreadPriority.Highest,
        };
        thread.Start();
        thread.Join();
        if (failure is not null) throw new InvalidOperationException($"the control loop failed: {failure.Message}", failure);
        return summary!;
    }

    /// <summary>The link to the robot, and the robot's full contract where the link can tell it (the simulated robot can).</summary>
    private static (IRobotTransport Transport, RobotContract? Contract) OpenTransport(RunArguments args, PolicyContract policy, double rateHz)
    {
        int chosen = (args.Port is null ? 0 : 1) + (args.Sim is null ? 0 : 1) + (args.Loopback ? 1 : 0);
        if (chosen != 1)
            throw new ArgumentException("choose exactly one robot: --port PATH (serial firmware), --sim ROBOT (simulated robot) or --loopback (dry run)");
        if (args.Loopback) return (new LoopbackRobotTransport(policy.Robot), null);
        if (args.Sim is { } name)
        {
            // Start the simulated robot in the policy's own task when it is this robot's, so it starts as in training.
            var task = name == policy.Robot.Robot && TaskCatalog.IsTask(policy.Task) ? TaskCatalog.Load(policy.Task) : EmulatedRobotTask.Load(name);
            return (new SimulatedRobotTransport(task), task.RobotContract);
        }

        var serial = new SerialRobotTransport(args.Port!, new SerialTransportOptions
        {
            BaudRate = args.Baud,
            ExpectedContractHash = policy.Robot.ShortHash,
            ControlRateHz = rateHz,
        });
        return (serial, null);
    }

    private static double[]? ParseCommand(string? text)
    {
        if (text is null) return null;
        try
        {
            return text.Split(',', StringSplitOptions.TrimEntries).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        }
        catch (FormatException)
        {
            throw new ArgumentException($"--command '{text}' must be numbers separated by commas, e.g. 0.5,0,0");
        }
    }
}
