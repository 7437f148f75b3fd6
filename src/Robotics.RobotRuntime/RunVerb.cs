using System.CommandLine;
using Robotics.Runtime.Deployment;

namespace Robotics.RobotRuntime;

/// <summary><c>robotics-runtime run</c>: drives the robot, as <c>robotics run</c> does, through the same deployment code.</summary>
internal static class RunVerb
{
    public static Command Create()
    {
        var shared = new DeploymentCommandLine(
            stoppedBy: "Ctrl-C or SIGTERM",
            linkHelp: Verb.LinkHelp,
            linkRequired: true,
            telemetryHelp: "per-tick telemetry CSV (robot state, command, timing); a .summary.json is written beside it");
        var command = new Command("run", "Drive a robot with an exported policy at a fixed rate, behind the safety layer, with telemetry.");
        shared.AddTo(command);
        command.SetAction(parse => Verb.Guard("run", () => DeploymentCommandLine.Drive(
            shared.Read(parse, parse.GetValue(shared.Link)!, parse.GetValue(shared.Telemetry)?.FullName), Verb.Links(), parse.GetValue(shared.Json))));
        return command;
    }
}
