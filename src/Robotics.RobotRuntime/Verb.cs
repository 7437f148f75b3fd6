using Robotics.FirmwareInterface.Transport;
using Robotics.Runtime.Deployment;
using Robotics.Runtime.Transport;

namespace Robotics.RobotRuntime;

/// <summary>What every verb shares: the links this program knows, and the one way to turn bad input into one line and exit 1.</summary>
internal static class Verb
{
    public const string Program = "robotics-runtime";

    /// <summary>The links a robot controller can use: the firmware on a serial device, and the in-process stand-in.</summary>
    public static RobotLinkCatalog Links() => RobotLinkCatalog.WithLoopback().AddSerial();

    public static string LinkHelp => "the robot: " + string.Join("; ", Links().Usages);

    /// <summary>Runs <paramref name="body"/>; a problem with the user's input is one line on standard error and exit code 1, no stack trace.</summary>
    public static int Guard(string verb, Func<int> body) => DeploymentErrors.Known.Run($"{Program} {verb}", body);
}
