using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using Robotics.Runtime.Deployment;
using Robotics.Runtime.Telemetry;

namespace Robotics.RobotRuntime;

/// <summary><c>robotics-runtime run</c>: drives the robot, as <c>robotics run</c> does, through the same deployment code.</summary>
internal static class RunVerb
{
    public static Command Create()
    {
        var shared = new DeploymentCommandLine(stoppedBy: "Ctrl-C or SIGTERM");
        var link = new Option<string>("--link") { Description = Verb.LinkHelp, Required = true };
        var handshake = new Option<double>("--handshake-timeout") { Description = "seconds to wait for the robot's handshake", DefaultValueFactory = _ => 2 };
        var telemetry = new Option<FileInfo?>("--telemetry") { Description = "per-tick telemetry CSV (robot state, command, timing); a .summary.json is written beside it" };
        var command = new Command("run", "Drive a robot with an exported policy at a fixed rate, behind the safety layer, with telemetry.");
        shared.AddTo(command);
        foreach (Option option in new Option[] { link, handshake, telemetry }) command.Options.Add(option);
        command.SetAction(parse => Verb.Guard("run", () => Run(
            shared.Read(parse, parse.GetValue(link)!, parse.GetValue(telemetry)?.FullName) with
            {
                HandshakeTimeout = TimeSpan.FromSeconds(parse.GetValue(handshake)),
            },
            parse.GetValue(shared.Json))));
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
