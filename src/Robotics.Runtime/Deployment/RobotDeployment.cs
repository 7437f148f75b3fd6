using System.Globalization;
using Robotics.Contract;
using Robotics.Contract.CommandLine;
using Robotics.Runtime.Commands;
using Robotics.Runtime.Control;
using Robotics.Runtime.Observation;
using Robotics.Runtime.Policy;
using Robotics.Runtime.Safety;
using Robotics.Runtime.Telemetry;
using Robotics.Runtime.Transport;

namespace Robotics.Runtime.Deployment;

/// <summary>
/// The one way a policy is put on a robot, used by the robot program, <c>robotics run</c> and the quickstart:
/// ONNX policy, operator command, contract check before the link opens and again on the handshake, the fixed-rate
/// loop with the safety layer, telemetry. <see cref="Prepare"/> commands nothing; every problem found there
/// (missing or damaged model, unknown link, wrong robot, bad command file) throws before the robot moves.
/// </summary>
public sealed class RobotDeployment : IDisposable
{
    private readonly DeploymentOptions options;
    private readonly OnnxPolicy policy;
    private readonly IRobotTransport link;
    private readonly ContractObservationSource observations;

    private RobotDeployment(DeploymentOptions options, OnnxPolicy policy, IRobotTransport link, ContractObservationSource observations, RobotHandshake handshake, double rateHz)
    {
        this.options = options;
        this.policy = policy;
        this.link = link;
        this.observations = observations;
        Handshake = handshake;
        RateHz = rateHz;
    }

    public PolicyMetadata Policy => policy.Metadata;

    public RobotHandshake Handshake { get; }

    public double RateHz { get; }

    /// <summary>The robot link, open and checked.</summary>
    public IRobotTransport Link => link;

    /// <exception cref="PolicyLoadException">the model cannot be used</exception>
    /// <exception cref="RobotLinkException">unknown link, missing or busy device, no answer (wrong baud rate)</exception>
    /// <exception cref="ContractMismatchException">the robot is not the one the policy was trained for; nothing was sent</exception>
    /// <exception cref="ArgumentException">an option is out of range or the command is malformed</exception>
    public static RobotDeployment Prepare(DeploymentOptions options, RobotLinkCatalog links)
    {
        var policy = OnnxPolicy.Load(options.PolicyPath);
        IRobotTransport? link = null;
        try
        {
            var contract = policy.Metadata.Contract;
            var rate = options.RateHz ?? contract.Robot.ControlRateHz;
            LoopOptions(options, rate).Validate();
            var observations = new ContractObservationSource(contract, CommandSource(options.Command, contract));
            var made = links.Make(options.Link, new RobotLinkRequest(contract, rate));
            link = made.Transport;
            var robot = options.RobotContractPath is { } path ? ReadRobotContract(path) : made.RobotContract;
            ContractCheck.Require(contract, robot, null); // before the link opens: a wrong policy never reaches the robot
            var handshake = link.Open(options.HandshakeTimeout);
            ContractCheck.Require(contract, robot, handshake);
            return new RobotDeployment(options, policy, link, observations, handshake, rate);
        }
        catch
        {
            link?.Dispose();
            policy.Dispose();
            throw;
        }
    }

    /// <summary>Drives the robot until the duration ends, <paramref name="cancel"/> asks to stop (ramping down), or a fault.</summary>
    /// <param name="warn">Where warnings go (a rate or a rate-of-change limit below the trained one, real-time priority refused).</param>
    public DeploymentResult Run(CancellationToken cancel = default, Action<string>? warn = null)
    {
        var contract = policy.Metadata.Contract;
        foreach (var line in Warnings(contract, RateHz, options.Safety))
            warn?.Invoke(line);
        var loopOptions = LoopOptions(options, RateHz);
        ControlLoop loop;
        RunSummary summary;
        using (var telemetry = options.TelemetryPath is { } path ? new TelemetryWriter(path, TelemetryColumns.For(contract)) : null)
        {
            loop = new ControlLoop(link, policy, contract, observations, loopOptions, new HybridClock(loopOptions.SpinWindow), telemetry);
            summary = ControlThread.Run(loop, options.Realtime, cancel, warn);
        }

        if (loop.FirstCommandAt != 0)
            summary = summary with { FirstCommandAfterProcessStartMillis = FirstCommandAfterProcessStart(loop.FirstCommandAt) };
        return new DeploymentResult(summary, loop.Fault, loop.FaultStateAgeMicros);
    }

    /// <summary>What differs from how the policy was trained: the control rate, or a rate-of-change limit below the trained one.</summary>
    public static IEnumerable<string> Warnings(PolicyContract contract, double rateHz, SafetyOptions safety)
    {
        if (rateHz != contract.Robot.ControlRateHz)
            yield return string.Create(CultureInfo.InvariantCulture, $"warning: running at {rateHz} Hz; the policy was trained at {contract.Robot.ControlRateHz} Hz");
        if (contract.ActionMaxChangePerSecond is { } trained && safety.MaxChangePerSecond < trained)
            yield return string.Create(CultureInfo.InvariantCulture,
                $"warning: --max-change {safety.MaxChangePerSecond} is below the rate limit the policy was trained under ({trained}): the safety layer will cut steps the policy relies on");
    }

    // The clock's ticks are Stopwatch ticks; the process start is wall-clock time: meet at "now".
    private static double FirstCommandAfterProcessStart(long firstCommandAt)
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        var sinceStart = DateTime.Now - process.StartTime;
        return (sinceStart - System.Diagnostics.Stopwatch.GetElapsedTime(firstCommandAt)).TotalMilliseconds;
    }

    public void Dispose()
    {
        link.Dispose();
        policy.Dispose();
    }

    private static ControlLoopOptions LoopOptions(DeploymentOptions options, double rate) => new()
    {
        RateHz = rate,
        Duration = options.Duration,
        Safety = options.Safety,
    };

    private static ICommandSource CommandSource(CommandOptions command, PolicyContract contract)
    {
        var given = (command.Fixed is null ? 0 : 1) + (command.ProfilePath is null ? 0 : 1) + (command.Live is null ? 0 : 1);
        if (given > 1)
            throw new ArgumentException("give the command one way: --command, --command-file or --command-live");
        var size = contract.CommandSize;
        if (command.ProfilePath is { } profile)
        {
            try
            {
                return CommandProfile.Load(profile, size, command.HoldProfile);
            }
            catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
            {
                throw new ArgumentException(e.Message, e);
            }
        }

        var initial = command.Fixed is { } text ? ParseFixed(text, contract) : ContractObservationSource.MiddleOfRanges(contract);
        return command.Live is { } live ? new LiveCommand(live, initial) : new FixedCommand(initial);
    }

    private static double[] ParseFixed(string text, PolicyContract contract)
    {
        var values = LiveCommand.Parse(text, contract.CommandSize, out var problem);
        return values ?? throw new ArgumentException(
            $"--command '{text}': {problem}; the policy reads {contract.CommandSize} values ({ContractObservationSource.Describe(contract)}), comma-separated, e.g. 0.5,0,0");
    }

    private static RobotContract ReadRobotContract(string path)
    {
        try
        {
            return RobotContract.FromJson(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException or InvalidDataException)
        {
            throw new ArgumentException($"{path}: not a robot contract this program can read ({e.Message}); write it with 'robotics contract ROBOT'", e);
        }
    }
}

/// <summary>What a deployment did: the summary written at the end, and the fault that stopped it, if any.</summary>
public sealed record DeploymentResult(RunSummary Summary, FaultKind Fault, double FaultStateAgeMicros)
{
    /// <summary>Exit status for a program: 0 when it stopped without a fault, 2 otherwise.</summary>
    public int ExitCode => Fault == FaultKind.None ? ExitCodes.Success : ExitCodes.Fault;
}
