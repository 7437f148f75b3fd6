using Robotics.Runtime.Transport;
using Robotics.Cli.Commands;
using Robotics.FirmwareInterface.Transport;
using Robotics.Runtime.Control;
using Robotics.Runtime.Observation;
using Robotics.Runtime.Policy;
using Robotics.Runtime.Safety;
using Robotics.Runtime.Telemetry;

namespace Robotics.Cli.Quickstart;

/// <summary>How a policy is deployed over a serial device; defaults are those of <c>robotics run</c>.</summary>
public sealed record DeploymentOptions
{
    /// <summary>Control rate; null for the rate in the policy's contract.</summary>
    public double? RateHz { get; init; }

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    public int BaudRate { get; init; } = 921_600;

    public int WatchdogPeriods { get; init; } = 5;

    public TimeSpan RampDown { get; init; } = TimeSpan.FromSeconds(0.5);

    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(2);

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
/// Runs an exported policy on a robot behind a serial device exactly as <c>robotics run --port</c> does:
/// ONNX policy, contract check on the handshake before any command, fixed-rate loop with the safety layer, telemetry.
/// </summary>
public static class PolicyDeployment
{
    /// <exception cref="PolicyLoadException">the model cannot be used</exception>
    /// <exception cref="RobotLinkException">the device is missing or does not answer (wrong path, wrong baud rate)</exception>
    /// <exception cref="ContractMismatchException">the robot is not the one the policy was trained for; nothing was sent</exception>
    public static DeploymentResult Run(string policyPath, string port, DeploymentOptions options)
    {
        using var policy = OnnxPolicy.Load(policyPath);
        var contract = policy.Metadata.Contract;
        var rate = options.RateHz ?? contract.Robot.ControlRateHz;
        var serial = new SerialRobotTransport(port, new SerialTransportOptions
        {
            BaudRate = options.BaudRate,
            ExpectedContractHash = contract.Robot.ShortHash,
            ControlRateHz = rate,
        });
        using var link = new StateRecordingTransport(serial, contract.Robot.Joints.Count);
        var handshake = link.Open(options.HandshakeTimeout);
        ContractCheck.Require(contract, null, handshake);

        var loopOptions = new ControlLoopOptions
        {
            RateHz = rate,
            Duration = options.Duration,
            Safety = new SafetyOptions { WatchdogPeriods = options.WatchdogPeriods, RampDown = options.RampDown },
        };
        var telemetry = options.TelemetryPath is { } path
            ? new TelemetryWriter(path, contract.Robot.Actuators.Select(a => a.Name).ToList())
            : null;
        ControlLoop loop;
        RunSummary summary;
        using (telemetry)
        {
            loop = new ControlLoop(link, policy, contract, new ContractObservationSource(contract), loopOptions, new HybridClock(loopOptions.SpinWindow), telemetry);
            summary = RunCommand.RunOnControlThread(loop, realtime: false);
        }

        return new DeploymentResult(
            summary,
            contract.Robot.Joints.Select(j => j.Name).ToList(),
            link.MaxAbsPosition.ToArray(),
            link.StatesRead,
            link.CommandsSent,
            loop.Fault,
            loop.FaultStateAgeMicros);
    }
}
