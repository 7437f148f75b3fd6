namespace Robotics.Training.Normalization;

/// <summary>
/// Divides rewards by the running standard deviation of each environment's discounted return
/// (as Stable-Baselines3's VecNormalize does), then clips. Keeps value targets near unit scale.
/// </summary>
public sealed class RewardScaler
{
    private readonly double[] discountedReturn;
    private readonly double gamma;

    public RewardScaler(int numEnvs, double gamma, bool enabled, float clip)
    {
        discountedReturn = new double[numEnvs];
        this.gamma = gamma;
        Enabled = enabled;
        Clip = clip;
    }

    public RunningMeanStd Stats { get; } = new(1);
    public bool Enabled { get; }
    public float Clip { get; }

    /// <summary>Scales rewards in place; <paramref name="done"/> marks environments whose episode ended in this step.</summary>
    public void ScaleInPlace(Span<float> rewards, ReadOnlySpan<bool> terminated, ReadOnlySpan<bool> truncated) =>
        ScaleInPlace(rewards, terminated, truncated, envOffset: 0);

    /// <summary>As above, for the environments [envOffset, envOffset + rewards.Length) alone (one group of them).</summary>
    public void ScaleInPlace(Span<float> rewards, ReadOnlySpan<bool> terminated, ReadOnlySpan<bool> truncated, int envOffset)
    {
        if (!Enabled) return;
        var returns = new float[rewards.Length];
        for (int e = 0; e < rewards.Length; e++)
        {
            discountedReturn[envOffset + e] = discountedReturn[envOffset + e] * gamma + rewards[e];
            returns[e] = (float)discountedReturn[envOffset + e];
        }

        Stats.Update(returns, rewards.Length);
        float std = (float)Math.Sqrt(Stats.Var[0] + ObservationNormalizer.Epsilon);
        for (int e = 0; e < rewards.Length; e++)
        {
            rewards[e] = Math.Clamp(rewards[e] / std, -Clip, Clip);
            if (terminated[e] || truncated[e]) discountedReturn[envOffset + e] = 0;
        }
    }

    /// <summary>Forgets the running returns (after the environments are reset).</summary>
    public void ResetReturns() => Array.Clear(discountedReturn);
}
