using System.Diagnostics;
using System.Globalization;
using Robotics.Contract;
using Robotics.Contract.Observations;
using Robotics.Runtime.Commands;

namespace Robotics.Runtime.Observation;

/// <summary>
/// The observation exactly as the simulator builds it (<see cref="ObservationBuilder"/>), with the operator's
/// command from an <see cref="ICommandSource"/>: fixed, a time-stamped profile or a live feed.
/// </summary>
public sealed class ContractObservationSource : IObservationSource
{
    private readonly ObservationBuilder builder;
    private readonly ICommandSource commands;
    private readonly double[] command;
    private long drivingSince = Stopwatch.GetTimestamp();

    /// <param name="contract">The policy's contract.</param>
    /// <param name="command">The command vector in the order of <see cref="PolicyContract.Commands"/>; null holds each component at the middle of its trained range.</param>
    public ContractObservationSource(PolicyContract contract, IReadOnlyList<double>? command = null)
        : this(contract, new FixedCommand(command ?? MiddleOfRanges(contract)))
    {
    }

    /// <param name="contract">The policy's contract.</param>
    /// <param name="commands">Where the command vector comes from; its size must be the contract's command size.</param>
    public ContractObservationSource(PolicyContract contract, ICommandSource commands)
    {
        try
        {
            builder = ObservationBuilder.ForRobot(contract);
        }
        catch (NotSupportedException e)
        {
            throw new Policy.PolicyLoadException(e.Message, e);
        }

        this.commands = commands;
        if (commands.Size != contract.CommandSize)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"the policy reads {contract.CommandSize} command values ({Describe(contract)}) but {commands.Size} were given"), nameof(commands));
        command = new double[commands.Size];
        commands.Read(0, command);
    }

    public int Size => builder.Size;

    /// <summary>The command vector the policy saw last.</summary>
    public ReadOnlySpan<double> Command => command;

    public void BeginDriving() => drivingSince = Stopwatch.GetTimestamp();

    public void Build(RobotState state, ReadOnlySpan<float> previousAction, Span<float> observation)
    {
        commands.Read(Stopwatch.GetElapsedTime(drivingSince).TotalSeconds, command);
        builder.Build(state, previousAction, command, observation);
    }

    /// <summary>Names the command components in order, e.g. "velocity: vx, vy".</summary>
    public static string Describe(PolicyContract contract) =>
        contract.Commands.Count == 0 ? "none" : string.Join("; ", contract.Commands.Select(c => $"{c.Name}: {string.Join(", ", c.Components)}"));

    /// <summary>Each command component at the middle of the range it was trained on.</summary>
    public static double[] MiddleOfRanges(PolicyContract contract) =>
        contract.Commands.SelectMany(c => c.Min.Zip(c.Max, (lo, hi) => 0.5 * (lo + hi))).ToArray();
}
