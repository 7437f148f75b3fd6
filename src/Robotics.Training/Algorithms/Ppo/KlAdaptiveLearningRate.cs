namespace Robotics.Training.Algorithms.Ppo;

/// <summary>
/// A learning rate steered by the measured KL divergence between the policy being updated and the one that
/// collected the rollout, as rsl_rl does for legged robots: above twice the desired KL it is divided by 1.5,
/// below half of it (and above zero) multiplied by 1.5, always within [min, max].
/// </summary>
public sealed class KlAdaptiveLearningRate(double initial, double desiredKl, double min, double max)
{
    private const double Factor = 1.5;

    /// <summary>The current learning rate.</summary>
    public double Value { get; set; } = Math.Clamp(initial, min, max);

    /// <summary>Adjusts <see cref="Value"/> to one measured KL and returns it.</summary>
    public double Update(double kl)
    {
        if (kl > 2 * desiredKl)
            Value = Math.Max(min, Value / Factor);
        else if (kl < desiredKl / 2 && kl > 0)
            Value = Math.Min(max, Value * Factor);
        return Value;
    }
}
