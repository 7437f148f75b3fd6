namespace Robotics.Training.Algorithms.OnPolicy;

/// <summary>
/// Monte Carlo returns in reward-to-go (causality) form over a rollout stored [steps, envs], computed
/// backwards: G_t = r_t + gamma G_{t+1}, so an action is credited only with the rewards that follow it.
/// Where the sum cannot reach the episode's end the tail is worth
///   - 0 after a termination (there is no future),
///   - the bootstrap value after a truncation (finalValues) or at the rollout's end (nextValues).
/// Without a learned baseline pass zeros for both: the return then counts only the rewards seen, which is
/// exact for fixed-horizon tasks whose episodes fit the rollout and biased low otherwise.
/// </summary>
public static class RewardToGo
{
    /// <param name="rewards">[steps, envs]</param>
    /// <param name="terminated">[steps, envs]</param>
    /// <param name="truncated">[steps, envs]</param>
    /// <param name="finalValues">bootstrap where truncated, [steps, envs]; ignored elsewhere</param>
    /// <param name="nextValues">bootstrap after the last step, [envs]</param>
    /// <param name="returns">output, [steps, envs]</param>
    public static void Compute(
        int steps, int envs, double gamma,
        ReadOnlySpan<float> rewards, ReadOnlySpan<bool> terminated, ReadOnlySpan<bool> truncated,
        ReadOnlySpan<float> finalValues, ReadOnlySpan<float> nextValues, Span<float> returns)
    {
        for (int e = 0; e < envs; e++)
        {
            double future = nextValues[e];
            for (int t = steps - 1; t >= 0; t--)
            {
                int i = t * envs + e;
                if (terminated[i]) future = 0;
                else if (truncated[i]) future = finalValues[i];
                future = rewards[i] + gamma * future;
                returns[i] = (float)future;
            }
        }
    }
}
