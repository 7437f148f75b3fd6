namespace Robotics.Contract.Observations;

/// <summary>
/// Builds the observation vector of a policy from a <see cref="RobotState"/>, the previous action and
/// the current command, in the layout of a <see cref="PolicyContract"/>. The simulator and the robot
/// runtime both use it, so both feed the policy the same numbers in the same order.
/// Everything is resolved in the constructor; <see cref="Build"/> does not allocate.
/// </summary>
public sealed class ObservationBuilder
{
    private readonly Segment[] segments;
    private readonly bool[] handled;
    private readonly int[] offsets;
    private readonly int commandSize;

    private ObservationBuilder(PolicyContract contract, List<string> unsupported)
    {
        Contract = contract;
        commandSize = contract.CommandSize;
        var terms = contract.Observations;
        offsets = new int[terms.Count];
        handled = new bool[terms.Count];
        var list = new List<Segment>();
        int offset = 0;
        for (int t = 0; t < terms.Count; t++)
        {
            offsets[t] = offset;
            string? reason = WhyRobotCannotSupply(terms[t], contract);
            if (reason is null)
            {
                list.Add(Resolve(terms[t], contract, offset));
                handled[t] = true;
            }
            else
            {
                unsupported.Add($"term {t} '{terms[t].Kind}' ({string.Join(", ", terms[t].Names)}): {reason}");
            }
            offset += terms[t].Size;
        }
        segments = [.. list];
        Size = offset;
    }

    public PolicyContract Contract { get; }

    /// <summary>Length of the observation vector.</summary>
    public int Size { get; }

    /// <summary>
    /// A builder for a real robot. Throws <see cref="NotSupportedException"/> naming every term that a
    /// robot cannot supply (simulation-only terms, joints the robot does not report, IMU terms without an IMU).
    /// </summary>
    public static ObservationBuilder ForRobot(PolicyContract contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        var unsupported = new List<string>();
        var builder = new ObservationBuilder(contract, unsupported);
        if (unsupported.Count > 0)
        {
            throw new NotSupportedException(
                $"The policy for task '{contract.Task}' observes what robot '{contract.Robot.Robot}' cannot supply: "
                + string.Join("; ", unsupported)
                + $". Train it with terms a robot reports ({string.Join(", ", ObservationKinds.RobotSupplied)}) on joints listed in the robot file.");
        }
        return builder;
    }

    /// <summary>
    /// A builder that fills the terms a robot could supply and leaves the others (see <see cref="Handles"/>)
    /// for the simulator to write at <see cref="OffsetOf"/>.
    /// </summary>
    public static ObservationBuilder ForSimulation(PolicyContract contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        return new ObservationBuilder(contract, []);
    }

    /// <summary>Whether this builder writes term <paramref name="term"/> of the contract's observations.</summary>
    public bool Handles(int term) => handled[term];

    /// <summary>Where term <paramref name="term"/> starts in the observation vector.</summary>
    public int OffsetOf(int term) => offsets[term];

    /// <summary>Null when a robot can supply <paramref name="term"/>, otherwise why not.</summary>
    public static string? WhyRobotCannotSupply(ObservationTermSpec term, PolicyContract contract)
    {
        switch (term.Kind)
        {
            case ObservationKinds.JointPositions or ObservationKinds.JointAnglesSinCos or ObservationKinds.JointVelocities or ObservationKinds.JointEfforts:
                var missing = term.Names.Where(n => !contract.Robot.Joints.Any(j => j.Name == n)).ToArray();
                return missing.Length == 0 ? null : $"joints the robot does not report ({string.Join(", ", missing)}) exist only in simulation";
            case ObservationKinds.ProjectedGravity or ObservationKinds.ImuOrientation or ObservationKinds.ImuAngularVelocity or ObservationKinds.ImuLinearAcceleration:
                return contract.Robot.HasImu ? null : "needs an IMU, and the robot file defines none";
            case ObservationKinds.PreviousAction:
            case ObservationKinds.Command:
                return null;
            default:
                return ObservationKinds.SimulationOnly.Contains(term.Kind)
                    ? "exists only in simulation"
                    : "is not a term this builder knows";
        }
    }

    /// <summary>
    /// Writes the observation. <paramref name="previousAction"/> is the command sent at the previous control
    /// step in robot units (zeros at the start); <paramref name="command"/> is the concatenated command vector
    /// in the order of <see cref="PolicyContract.Commands"/>.
    /// </summary>
    public void Build(RobotState state, ReadOnlySpan<float> previousAction, ReadOnlySpan<double> command, Span<float> observation)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.JointCount != Contract.Robot.Joints.Count)
            throw new ArgumentException($"the state has {state.JointCount} joints; the contract has {Contract.Robot.Joints.Count}", nameof(state));
        if (previousAction.Length != Contract.ActionSize)
            throw new ArgumentException($"expected {Contract.ActionSize} previous actions, got {previousAction.Length}", nameof(previousAction));
        if (command.Length < commandSize)
            throw new ArgumentException($"expected a command vector of {commandSize} values, got {command.Length}", nameof(command));
        if (observation.Length < Size)
            throw new ArgumentException($"the observation buffer holds {observation.Length} values; {Size} are needed", nameof(observation));

        foreach (ref readonly Segment s in segments.AsSpan())
        {
            Span<float> into = observation.Slice(s.Offset, s.Size);
            switch (s.Kind)
            {
                case SegmentKind.JointPositions:
                    Gather(state.JointPositions, s.Indices, into);
                    break;
                case SegmentKind.JointAnglesSinCos:
                    SinCos(state.JointPositions, s.Indices, into);
                    break;
                case SegmentKind.JointVelocities:
                    Gather(state.JointVelocities, s.Indices, into);
                    break;
                case SegmentKind.JointEfforts:
                    Gather(state.JointEfforts, s.Indices, into);
                    break;
                case SegmentKind.ProjectedGravity:
                    RequireImu(state);
                    ImuMath.ProjectedGravity(state.ImuOrientation, into);
                    break;
                case SegmentKind.ImuOrientation:
                    RequireImu(state);
                    ImuMath.CanonicalQuaternion(state.ImuOrientation, into);
                    break;
                case SegmentKind.ImuAngularVelocity:
                    RequireImu(state);
                    for (int k = 0; k < 3; k++)
                        into[k] = (float)state.ImuAngularVelocity[k];
                    break;
                case SegmentKind.ImuLinearAcceleration:
                    RequireImu(state);
                    for (int k = 0; k < 3; k++)
                        into[k] = (float)state.ImuLinearAcceleration[k];
                    break;
                case SegmentKind.PreviousAction:
                    previousAction.CopyTo(into);
                    break;
                case SegmentKind.Command:
                    for (int k = 0; k < s.Size; k++)
                        into[k] = (float)command[s.CommandOffset + k];
                    break;
            }
        }
    }

    private static void Gather(double[] source, int[] indices, Span<float> into)
    {
        for (int k = 0; k < indices.Length; k++)
            into[k] = (float)source[indices[k]];
    }

    /// <summary>(sin q, cos q) per joint, computed in double and rounded once, as for every other term.</summary>
    private static void SinCos(double[] positions, int[] indices, Span<float> into)
    {
        for (int k = 0; k < indices.Length; k++)
        {
            double q = positions[indices[k]];
            into[2 * k] = (float)Math.Sin(q);
            into[2 * k + 1] = (float)Math.Cos(q);
        }
    }

    private static void RequireImu(RobotState state)
    {
        if (!state.HasImu)
            throw new InvalidOperationException("the policy observes the IMU, but the robot state carries no IMU reading (HasImu is false)");
    }

    private static Segment Resolve(ObservationTermSpec term, PolicyContract contract, int offset)
    {
        void ExpectSize(int size)
        {
            if (term.Size != size)
                throw new ArgumentException($"observation term '{term.Kind}' has size {term.Size}; expected {size}");
        }

        switch (term.Kind)
        {
            case ObservationKinds.JointPositions or ObservationKinds.JointVelocities or ObservationKinds.JointEfforts:
                ExpectSize(term.Names.Count);
                var indices = term.Names.Select(n => IndexOfJoint(contract.Robot, n)).ToArray();
                var kind = term.Kind switch
                {
                    ObservationKinds.JointPositions => SegmentKind.JointPositions,
                    ObservationKinds.JointVelocities => SegmentKind.JointVelocities,
                    _ => SegmentKind.JointEfforts,
                };
                return new Segment(kind, offset, term.Size, indices, 0);
            case ObservationKinds.JointAnglesSinCos:
                ExpectSize(2 * term.Names.Count);
                return new Segment(SegmentKind.JointAnglesSinCos, offset, term.Size, term.Names.Select(n => IndexOfJoint(contract.Robot, n)).ToArray(), 0);
            case ObservationKinds.ProjectedGravity:
                ExpectSize(3);
                return new Segment(SegmentKind.ProjectedGravity, offset, 3, [], 0);
            case ObservationKinds.ImuOrientation:
                ExpectSize(4);
                return new Segment(SegmentKind.ImuOrientation, offset, 4, [], 0);
            case ObservationKinds.ImuAngularVelocity:
                ExpectSize(3);
                return new Segment(SegmentKind.ImuAngularVelocity, offset, 3, [], 0);
            case ObservationKinds.ImuLinearAcceleration:
                ExpectSize(3);
                return new Segment(SegmentKind.ImuLinearAcceleration, offset, 3, [], 0);
            case ObservationKinds.PreviousAction:
                ExpectSize(contract.ActionSize);
                return new Segment(SegmentKind.PreviousAction, offset, term.Size, [], 0);
            case ObservationKinds.Command:
                string name = term.Names.Count == 1 ? term.Names[0] : throw new ArgumentException("a command term names exactly one command");
                int commandOffset = 0;
                foreach (var c in contract.Commands)
                {
                    if (c.Name == name)
                    {
                        ExpectSize(c.Size);
                        return new Segment(SegmentKind.Command, offset, c.Size, [], commandOffset);
                    }
                    commandOffset += c.Size;
                }
                throw new ArgumentException($"observation term 'command' reads command '{name}', which the contract does not list");
            default:
                throw new ArgumentException($"unknown observation term '{term.Kind}'");
        }
    }

    private static int IndexOfJoint(RobotContract robot, string name) =>
        robot.JointIndex(name) is var i and >= 0 ? i : throw new ArgumentException($"joint '{name}' is not in the contract of robot '{robot.Robot}'");

    private enum SegmentKind
    {
        JointPositions,
        JointAnglesSinCos,
        JointVelocities,
        JointEfforts,
        ProjectedGravity,
        ImuOrientation,
        ImuAngularVelocity,
        ImuLinearAcceleration,
        PreviousAction,
        Command,
    }

    private readonly record struct Segment(SegmentKind Kind, int Offset, int Size, int[] Indices, int CommandOffset);
}
