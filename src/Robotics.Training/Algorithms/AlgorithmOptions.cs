using Robotics.Training.Configuration;

namespace Robotics.Training.Algorithms;

/// <summary>
/// An algorithm's options: the config section named like the algorithm (snake_case keys), registered with it in
/// <see cref="AlgorithmRegistry"/>. Every field has a working default; the record checks its own values.
/// </summary>
public abstract record AlgorithmOptions
{
    /// <summary>Reports the first value out of range through <paramref name="check"/> (already scoped to this section).</summary>
    public abstract void Validate(ConfigCheck check, TrainingConfig config);
}
