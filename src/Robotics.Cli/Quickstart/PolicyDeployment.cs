using Robotics.FirmwareInterface.Transport;
using Robotics.Runtime.Control;
using Robotics.Runtime.Deployment;
using Robotics.Runtime.Policy;
using Robotics.Runtime.Safety;
using Robotics.Runtime.Telemetry;
using Robotics.Runtime.Transport;
using RuntimeDeploymentOptions = Robotics.Runtime.Deployment.DeploymentOptions;

namespace Robotics.Cli.Quickstart;

/// <summary>How a policy is deployed over a serial device; defaults are those of <c>robotics run</c>.</summary>
public sealed record DeploymentOptions
{
    /// <summary>Control rate; null for the rate in the policy's contract.</summary>
    public double? RateHz { get; init; }

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    public int BaudRate { get; init; } = SerialLink.DefaultBaudRate;

    public int WatchdogPeriods { get; init; } = new SafetyOptions().WatchdogPeriods;

    public TimeSpan RampDown { get; init; } = new SafetyOptions().RampDown;

    public TimeSpan HandshakeTimeout { get; init; } = RuntimeDeploymentOptions.DefaultHandshakeTimeout;

    /// <summary>Per-tick telemetry CSV; null writes none.</summary>
    public string? TelemetryPath { get; init; }
}

/// <summary>What the runtime did, and the largest |position| of each joint it saw.</summary>
public sealed record DeploymentResult(
    RunSummary Summary,
    IReadOnlyList<string> JointNames,
    IReadOnlyList<double> MaxAbsJointPosition,
    long StatesRead,
    long CommandsSent,
    FaultKind Fault,
    double FaultStateAgeMicros)
{
    public double MaxAbs(string joint)
    {
        var index = JointNames.ToList().IndexOf(joint);
        return index >= 0 ? MaxAbsJointPosition[index] : throw new ArgumentException($"no joint '{joint}'; joints: {string.Join(", ", JointNames)}");
    }
}

/// <summary>
/// Runs an exported policy on a robot behind a serial device through the one deployment path
/// (<see cref="RobotDeployment"/>) that <c>robotics run</c> and the robot program use.
/// </summary>
public static class PolicyDeployment
{
    /// <exception cref="PolicyLoadException">the model cannot be used</exception>
    /// <exception cref="RobotLinkException">the device is missing or does not answer (wrong path, wrong baud rate)</exception>
    /// <exception cref="ContractMismatchException">the robot is not the one the policy was trained for; nothing was sent</exception>
    public static DeploymentResult Run(string policyPath, string port, DeploymentOptions options)
    {
        var links = RobotLinkCatalog.WithLoopback().AddSerial();
        using var deployment = RobotDeployment.Prepare(new RuntimeDeploymentOptions
        {
            PolicyPath = policyPath,
            Link = $"serial:{port}?baud={options.BaudRate}",
            RateHz = options.RateHz,
            Duration = options.Duration,
            Safety = new SafetyOptions { WatchdogPeriods = options.WatchdogPeriods, RampDown = options.RampDown },
            HandshakeTimeout = options.HandshakeTimeout,
            TelemetryPath = options.TelemetryPath,
        }, links);
        var result = deployment.Run();
        var summary = result.Summary;
        var joints = deployment.Policy.Contract.Robot.Joints.Select(j => j.Name).ToList();
        var maxAbs = joints.Select(j => summary.JointRanges.FirstOrDefault(r => r.Joint == j)?.MaxAbsPosition ?? 0).ToList();
        return new DeploymentResult(summary, joints, maxAbs, summary.StatesRead, summary.CommandsSent, result.Fault, result.FaultStateAgeMicros);
    }
}
