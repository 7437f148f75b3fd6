namespace Robotics.Sim.Randomization;

/// <summary>
/// What a <see cref="DomainRandomizer"/> applied for the current episode, in model units:
/// <c>body_mass/NAME</c> (kg), <c>geom_friction/NAME</c> (sliding friction), <c>joint_damping/NAME</c>
/// and <c>joint_armature/NAME</c> (first DoF of the joint), <c>actuator_gain/NAME</c> (gainprm[0]),
/// <c>gravity/x|y|z</c> (m/s²), <c>com_offset/NAME/x|y|z</c> (m, added to the nominal body_ipos),
/// <c>action_latency_steps</c>, and <c>KEY@common</c> for a scale key's shared factor (<c>common_scale</c>).
/// Only randomized quantities appear (latency always does).
/// </summary>
public sealed class RandomizationSample
{
    public RandomizationSample(IReadOnlyDictionary<string, double> values, int actionLatencySteps)
    {
        Values = values;
        ActionLatencySteps = actionLatencySteps;
    }

    /// <summary>Nothing applied yet.</summary>
    public static RandomizationSample None { get; } = new(new Dictionary<string, double>(), 0);

    public IReadOnlyDictionary<string, double> Values { get; }

    /// <summary>How many control steps actions are delayed by this episode.</summary>
    public int ActionLatencySteps { get; }
}
