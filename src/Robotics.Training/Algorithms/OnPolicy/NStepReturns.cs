namespace Robotics.Training.Algorithms.OnPolicy;

/// <summary>
/// n-step returns over a rollout stored [steps, envs]:
///   R_t = r_t + gamma r_{t+1} + ... + gamma^{k-1} r_{t+k-1} + gamma^k V(s_{t+k}),  k = min(n, steps to the cut),
/// where the sum stops early at an episode's end: after a termination the tail is 0, after a truncation it is
/// V(final observation). At the rollout's end it bootstraps from V of the next observation, so n at least
/// the rollout length gives A2C's classic "up to n-step" returns. Advantages are R_t - V(s_t).
/// </summary>
public static class NStepReturns
{
    /// <param name="values">V(s_t), [steps, envs]</param>
    /// <param name="finalValues">V(final observation) where truncated, [steps, envs]; ignored elsewhere</param>
    /// <param name="nextValues">V(s_T) of the observation after the last step, [envs]</param>
    public static void Compute(
        int steps, int envs, int n, double gamma,
        ReadOnlySpan<float> rewards, ReadOnlySpan<float> values,
        ReadOnlySpan<bool> terminated, ReadOnlySpan<bool> truncated,
        ReadOnlySpan<float> finalValues, ReadOnlySpan<float> nextValues,
        Span<float> advantages, Span<float> returns)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "n-step returns need n >= 1");
        for (int e = 0; e < envs; e++)
        {
            for (int t = 0; t < steps; t++)
            {
                double sum = 0, discount = 1;
                for (int k = 0; ; k++)
                {
                    int j = (t + k) * envs + e;
                    sum += discount * rewards[j];
                    discount *= gamma;
                    if (terminated[j]) break;
                    if (truncated[j]) { sum += discount * finalValues[j]; break; }
                    if (t + k + 1 == steps) { sum += discount * nextValues[e]; break; }
                    if (k + 1 == n) { sum += discount * values[j + envs]; break; }
                }

                int i = t * envs + e;
                returns[i] = (float)sum;
                advantages[i] = (float)(sum - values[i]);
            }
        }
    }
}
