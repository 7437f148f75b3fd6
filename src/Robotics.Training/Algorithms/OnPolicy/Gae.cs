namespace Robotics.Training.Algorithms.OnPolicy;

/// <summary>
/// Generalized advantage estimation over a rollout stored [steps, envs], computed backwards.
/// At a step where an episode ended, the next state's value is
///   - 0 when it terminated (there is no future),
///   - V(final observation) when it was truncated (the future exists; the time limit cut it),
/// and the lambda-chain restarts, because the next row belongs to a new episode.
/// </summary>
public static class Gae
{
    /// <param name="rewards">[steps, envs]</param>
    /// <param name="values">V(s_t), [steps, envs]</param>
    /// <param name="terminated">[steps, envs]</param>
    /// <param name="truncated">[steps, envs]</param>
    /// <param name="finalValues">V(final observation) where truncated, [steps, envs]; ignored elsewhere</param>
    /// <param name="nextValues">V(s_T) of the observation after the last step, [envs]</param>
    /// <param name="advantages">output, [steps, envs]</param>
    /// <param name="returns">output: advantages + values, the value targets, [steps, envs]</param>
    public static void Compute(
        int steps, int envs, double gamma, double lambda,
        ReadOnlySpan<float> rewards, ReadOnlySpan<float> values,
        ReadOnlySpan<bool> terminated, ReadOnlySpan<bool> truncated,
        ReadOnlySpan<float> finalValues, ReadOnlySpan<float> nextValues,
        Span<float> advantages, Span<float> returns)
    {
        for (int e = 0; e < envs; e++)
        {
            double lastGae = 0;
            for (int t = steps - 1; t >= 0; t--)
            {
                int i = t * envs + e;
                bool ended = terminated[i] || truncated[i];
                double nextValue = terminated[i] ? 0.0
                    : truncated[i] ? finalValues[i]
                    : t == steps - 1 ? nextValues[e] : values[i + envs];
                double delta = rewards[i] + gamma * nextValue - values[i];
                lastGae = delta + (ended ? 0.0 : gamma * lambda * lastGae);
                advantages[i] = (float)lastGae;
                returns[i] = (float)(lastGae + values[i]);
            }
        }
    }
}
