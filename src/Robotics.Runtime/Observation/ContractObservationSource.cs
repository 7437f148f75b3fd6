using System.Globalization;
using Robotics.Contract;
using Robotics.Contract.Observations;

namespace Robotics.Runtime.Observation;

/// <summary>
/// The observation exactly as the simulator builds it (<see cref="ObservationBuilder"/>), with the
/// operator's command held fixed for the run.
/// </summary>
public sealed class ContractObservationSource : IObservationSource
{
    private readonly ObservationBuilder builder;
    private readonly double[] command;

    /// <param name="contract">The policy's contract.</param>
    /// <param name="command">The command vector in the order of <see cref="PolicyContract.Commands"/>; null holds each component at the middle of its trained range.</param>
    public ContractObservationSource(PolicyContract contract, IReadOnlyList<double>? command = null)
    {
        try
        {
            builder = ObservationBuilder.ForRobot(contract);
        }
        catch (NotSupportedException e)
        {
            throw new Policy.PolicyLoadException(e.Message, e);
        }

        this.command = command?.ToArray() ?? MiddleOfRanges(contract);
        if (this.command.Length != contract.CommandSize)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"the policy reads {contract.CommandSize} command values ({Describe(contract)}) but {this.command.Length} were given"), nameof(command));
    }

    public int Size => builder.Size;

    /// <summary>The command vector the policy sees.</summary>
    public IReadOnlyList<double> Command => command;

    public void Build(RobotState state, ReadOnlySpan<float> previousAction, Span<float> observation) =>
        builder.Build(state, previousAction, command, observation);

    /// <summary>Names the command components in order, e.g. "velocity: vx, vy".</summary>
    public static string Describe(PolicyContract contract) =>
        contract.Commands.Count == 0 ? "none" : string.Join("; ", contract.Commands.Select(c => $"{c.Name}: {string.Join(", ", c.Components)}"));

    private static double[] MiddleOfRanges(PolicyContract contract) =>
        contract.Commands.SelectMany(c => c.Min.Zip(c.Max, (lo, hi) => 0.5 * (lo + hi))).ToArray();
}
