using Robotics.Training.Algorithms.OnPolicy;
using Robotics.Training.Algorithms.Ppo;
using Robotics.Training.Algorithms.Reinforce;

namespace Robotics.Training.Tests.Algorithms.OnPolicy;

public sealed class RewardToGoTests
{
    private const double Gamma = 0.9;

    [Fact]
    public void Each_step_is_credited_with_the_discounted_rewards_that_follow_it()
    {
        // G2 = 3, G1 = 2 + 0.9 * 3, G0 = 1 + 0.9 * G1; nothing after the rollout (no bootstrap).
        var g = Run([1, 2, 3], [false, false, false], [false, false, false], [0, 0, 0], nextValue: 0);
        AssertClose([1 + 0.9 * 4.7, 4.7, 3], g);
    }

    [Fact]
    public void A_termination_stops_the_sum_and_the_rollout_end_bootstraps()
    {
        // Step 1 ends its episode: G1 = 2 and G0 = 1 + 0.9 * 2; step 2 starts a new episode cut by the rollout: G2 = 3 + 0.9 * 10.
        var g = Run([1, 2, 3], [false, true, false], [false, false, false], [0, 0, 0], nextValue: 10);
        AssertClose([2.8, 2, 12], g);
    }

    [Fact]
    public void A_truncation_bootstraps_from_the_final_observation_value()
    {
        var g = Run([1, 2, 3], [false, false, false], [false, true, false], [0, 4, 0], nextValue: 10);
        double g1 = 2 + 0.9 * 4;
        AssertClose([1 + 0.9 * g1, g1, 12], g);
    }

    [Fact]
    public void Environments_interleaved_in_rows_are_summed_separately()
    {
        // [steps 2, envs 2]: env 0 rewards 1, 2; env 1 rewards 10, 20 with a termination at its first step.
        var returns = new float[4];
        RewardToGo.Compute(2, 2, Gamma, [1, 10, 2, 20], [false, true, false, false], [false, false, false, false],
            new float[4], [0, 0], returns);
        AssertClose([1 + 0.9 * 2, 10, 2, 20], returns);
    }

    [Fact]
    public void Reward_to_go_with_bootstraps_equals_gae_returns_at_lambda_one()
    {
        float[] rewards = [1, -2, 3, 0.5f, 4, 1, 2, -1];
        bool[] terminated = [false, false, true, false, false, false, false, false];
        bool[] truncated = [false, false, false, false, false, true, false, false];
        float[] values = [0.3f, 1, 2, -1, 0.7f, 0.2f, 1.5f, 3];
        float[] finalValues = [0, 0, 0, 0, 0, 6, 0, 0];
        float[] next = [2, -3];
        var rtg = new float[8];
        RewardToGo.Compute(4, 2, Gamma, rewards, terminated, truncated, finalValues, next, rtg);
        var advantages = new float[8];
        var gaeReturns = new float[8];
        Gae.Compute(4, 2, Gamma, 1.0, rewards, values, terminated, truncated, finalValues, next, advantages, gaeReturns);
        AssertClose(gaeReturns.Select(x => (double)x).ToArray(), rtg);
    }

    [Fact]
    public void Without_a_baseline_the_weights_are_the_returns_and_cuts_count_only_the_rewards_seen()
    {
        var storage = new RolloutStorage(steps: 3, envs: 1, observationSize: 1, actionSize: 1);
        float[] rewards = [1, 2, 3];
        rewards.CopyTo(storage.Rewards, 0);
        storage.Values[0] = 5;
        storage.Values[1] = 5;
        storage.Values[2] = 5;
        storage.Truncated[1] = true;
        storage.FinalValues[1] = 100;
        storage.NextValues[0] = 100;

        ReinforceAlgorithm.ComputeWeights(storage, Gamma, baseline: false);
        AssertClose([2.8, 2, 3], storage.Returns);
        AssertClose([2.8, 2, 3], storage.Advantages);

        ReinforceAlgorithm.ComputeWeights(storage, Gamma, baseline: true);
        AssertClose([1 + 0.9 * 92, 92, 93], storage.Returns);
        AssertClose([1 + 0.9 * 92 - 5, 87, 88], storage.Advantages);
    }

    private static float[] Run(float[] rewards, bool[] terminated, bool[] truncated, float[] finalValues, float nextValue)
    {
        var returns = new float[rewards.Length];
        RewardToGo.Compute(rewards.Length, 1, Gamma, rewards, terminated, truncated, finalValues, [nextValue], returns);
        return returns;
    }

    private static void AssertClose(double[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 4);
    }
}
