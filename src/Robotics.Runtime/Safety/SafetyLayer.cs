using Robotics.Contract;

namespace Robotics.Runtime.Safety;

/// <summary>
/// Turns a policy's proposed commands into ones the robot may receive: non-finite values become the
/// safe command, every command is clamped to its actuator range and its joint's position, velocity
/// and effort limits, and the change per tick is limited. The safe command holds position for
/// position actuators and is zero for velocity and effort actuators. A policy trained under a rate limit
/// (<see cref="PolicyContract.ActionMaxChangePerSecond"/>) has it applied first, as in training and unflagged; only
/// what the safety layer's own limit cuts beyond that counts as an intervention. Allocation-free after construction.
/// </summary>
public sealed class SafetyLayer
{
    private readonly Mode[] modes;
    private readonly int[] jointOf;
    private readonly float[] low;
    private readonly float[] high;
    private readonly float[] maxStep;
    private readonly float[] trainedMaxStep;
    private readonly double[] positionMin;
    private readonly double[] positionMax;
    private readonly double[] velocityMax;
    private readonly float[] last;

    /// <param name="trainedMaxChangePerSecond">The limit the policy was trained under; null when it had none.</param>
    public SafetyLayer(RobotContract contract, SafetyOptions options, double rateHz, double? trainedMaxChangePerSecond = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(rateHz, 0);
        var n = contract.Actuators.Count;
        modes = new Mode[n];
        jointOf = new int[n];
        low = new float[n];
        high = new float[n];
        maxStep = new float[n];
        trainedMaxStep = new float[n];
        positionMin = new double[n];
        positionMax = new double[n];
        velocityMax = new double[n];
        last = new float[n];
        for (int i = 0; i < n; i++)
        {
            var actuator = contract.Actuators[i];
            var j = IndexOfJoint(contract, actuator);
            var joint = contract.Joints[j];
            jointOf[i] = j;
            modes[i] = ParseMode(actuator);
            positionMin[i] = joint.PositionMin;
            positionMax[i] = joint.PositionMax;
            velocityMax[i] = joint.VelocityMax;
            var (jointLow, jointHigh) = modes[i] switch
            {
                Mode.Position => (joint.PositionMin, joint.PositionMax),
                Mode.Velocity => (-joint.VelocityMax, joint.VelocityMax),
                _ => (-joint.EffortMax, joint.EffortMax),
            };
            low[i] = (float)Math.Max(actuator.CommandMin, jointLow);
            high[i] = (float)Math.Min(actuator.CommandMax, jointHigh);
            if (low[i] > high[i])
                throw new ConfigException("robot contract", $"actuators[{i}] ({actuator.Name})",
                    $"command range [{actuator.CommandMin}, {actuator.CommandMax}] does not overlap the joint's limits [{jointLow}, {jointHigh}]");
            maxStep[i] = CommandRateLimit.MaxStep(actuator, options.MaxChangePerSecond, rateHz);
            trainedMaxStep[i] = trainedMaxChangePerSecond is { } trained ? CommandRateLimit.MaxStep(actuator, trained, rateHz) : float.PositiveInfinity;
        }
    }

    public int ActuatorCount => modes.Length;

    /// <summary>The command sent last (or the safe command after <see cref="Reset"/>).</summary>
    public ReadOnlySpan<float> LastCommand => last;

    /// <summary>Starts rate limiting from the safe command for <paramref name="state"/>, so the first commands ramp up.</summary>
    public void Reset(RobotState state) => WriteSafeCommand(state, last);

    /// <summary>Position actuators hold their joint's measured position (within limits); others command zero.</summary>
    public void WriteSafeCommand(RobotState state, Span<float> command)
    {
        for (int i = 0; i < modes.Length; i++)
        {
            command[i] = CommandRateLimit.HoldCommand(modes[i] == Mode.Position, state.JointPositions[jointOf[i]], low[i], high[i]);
        }
    }

    /// <summary>Writes the limited form of <paramref name="proposed"/> into <paramref name="command"/> and remembers it.</summary>
    public SafetyFlags Apply(ReadOnlySpan<float> proposed, RobotState state, Span<float> command)
    {
        var flags = SafetyFlags.None;
        for (int i = 0; i < modes.Length; i++)
        {
            var value = proposed[i];
            if (!float.IsFinite(value))
            {
                flags |= SafetyFlags.NonFinite;
                value = modes[i] == Mode.Position ? (float)state.JointPositions[jointOf[i]] : 0f;
                if (!float.IsFinite(value)) value = last[i];
            }

            var limited = Math.Clamp(value, low[i], high[i]);
            limited = KeepInsideJointLimits(i, limited, state);
            if (limited != value) flags |= SafetyFlags.Clamped;

            // The policy's own limit first: it cut the same way in training, so it is the policy's action, not an intervention.
            limited = CommandRateLimit.Limit(limited, last[i], trainedMaxStep[i]);
            var rateLimited = CommandRateLimit.Limit(limited, last[i], maxStep[i]);
            if (rateLimited != limited) { limited = rateLimited; flags |= SafetyFlags.RateLimited; }

            command[i] = limited;
            last[i] = limited;
        }

        return flags;
    }

    /// <summary>Sends <paramref name="command"/> as is except for the actuator range (used while ramping down) and remembers it.</summary>
    public void ApplyUnlimitedRate(ReadOnlySpan<float> proposed, Span<float> command)
    {
        for (int i = 0; i < modes.Length; i++)
        {
            command[i] = Math.Clamp(proposed[i], low[i], high[i]);
            last[i] = command[i];
        }
    }

    // Effort and velocity commands cannot be bounded by a position range directly: stop them pushing a
    // joint further past its position limit, or faster once it is over its velocity limit.
    private float KeepInsideJointLimits(int i, float value, RobotState state)
    {
        if (modes[i] == Mode.Position) return value;
        var j = jointOf[i];
        var q = state.JointPositions[j];
        var qd = state.JointVelocities[j];
        if ((q >= positionMax[i] && value > 0) || (q <= positionMin[i] && value < 0)) return 0f;
        if (modes[i] == Mode.Effort && ((qd >= velocityMax[i] && value > 0) || (qd <= -velocityMax[i] && value < 0))) return 0f;
        return value;
    }

    private static int IndexOfJoint(RobotContract contract, ActuatorSpec actuator) =>
        contract.JointIndex(actuator.Joint) is var j and >= 0
            ? j
            : throw new ConfigException("robot contract", $"actuator '{actuator.Name}'", $"drives joint '{actuator.Joint}', which the contract does not list");

    private static Mode ParseMode(ActuatorSpec actuator) => actuator.Mode switch
    {
        "position" => Mode.Position,
        "velocity" => Mode.Velocity,
        "effort" => Mode.Effort,
        _ => throw new ConfigException("robot contract", $"actuator '{actuator.Name}'", $"mode '{actuator.Mode}' is not one of position, velocity, effort"),
    };

    private enum Mode { Position, Velocity, Effort }
}
