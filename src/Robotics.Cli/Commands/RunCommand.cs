using System.CommandLine;
using System.Globalization;
using Robotics.Contract.CommandLine;
using Robotics.FirmwareInterface.Transport;
using Robotics.RobotEmulator;
using Robotics.Runtime.Deployment;
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
        var shared = new DeploymentCommandLine(
            stoppedBy: "Ctrl-C or SIGTERM",
            linkHelp: "the robot: serial:/dev/ttyACM0?baud=921600, sim:ROBOT (MuJoCo in wall-clock time; ROBOT is a robot or task name, or a robot or task .yaml file) or loopback (dry run, no physics)",
            linkRequired: false,
            telemetryHelp: "per-tick telemetry CSV (default: $XDG_STATE_HOME/robotics/deploy/<time>/telemetry.csv, else ~/.local/state/...; printed at the end)");
        var port = new Option<string?>("--port") { Description = "short for --link serial:PATH" };
        var baud = new Option<int>("--baud") { Description = "serial baud rate with --port", DefaultValueFactory = _ => SerialLink.DefaultBaudRate };
        var sim = new Option<string?>("--sim") { Description = "short for --link sim:ROBOT: a robot or task name, or the path of a robot or task .yaml file" };
        var loopback = new Option<bool>("--loopback") { Description = "short for --link loopback" };
        var command = new Command("run", "Run an exported policy on a robot at a fixed rate, with the safety layer and telemetry.");
        shared.AddTo(command);
        foreach (Option option in new Option[] { port, baud, sim, loopback }) command.Options.Add(option);
        command.SetAction(parse => CliErrors.Known.Run("robotics run", () =>
        {
            var telemetryPath = parse.GetValue(shared.Telemetry)?.FullName ?? DefaultTelemetryPath();
            var link = LinkOf(parse.GetValue(shared.Link), parse.GetValue(port), parse.GetValue(baud), parse.GetValue(sim), parse.GetValue(loopback));
            return DeploymentCommandLine.Drive(shared.Read(parse, link, telemetryPath), Links(), parse.GetValue(shared.Json));
        }));
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

    /// <summary>
    /// Where a deployment's telemetry goes when --telemetry is not given: the user's state folder (XDG), never the
    /// current directory, which is often a checkout.
    /// </summary>
    public static string DefaultTelemetryPath()
    {
        string? state = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
        if (string.IsNullOrWhiteSpace(state) || !Path.IsPathRooted(state))
            state = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state");
        return Path.Combine(state, "robotics", "deploy", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture), "telemetry.csv");
    }

    private static string LinkOf(string? link, string? port, int baud, string? sim, bool loopback)
    {
        var chosen = new[] { link, port is null ? null : $"serial:{port}?baud={baud}", sim is null ? null : $"sim:{sim}", loopback ? "loopback" : null }
            .Where(l => l is not null).ToList();
        if (chosen.Count != 1)
            throw new ArgumentException("choose exactly one robot: --link LINK, --port PATH (serial firmware), --sim ROBOT (simulated robot) or --loopback (dry run)");
        return chosen[0]!;
    }
}
