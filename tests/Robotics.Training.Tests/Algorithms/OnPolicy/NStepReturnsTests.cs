using Robotics.Training.Algorithms.OnPolicy;
using Robotics.Training.Algorithms.A2c;
using Robotics.Training.Algorithms.Ppo;

namespace Robotics.Training.Tests.Algorithms.OnPolicy;

public sealed class NStepReturnsTests
{
    private const double Gamma = 0.9;

    [Fact]
    public void Two_step_returns_bootstrap_from_the_value_two_steps_ahead_and_from_the_next_value_at_the_cut()
    {
        float[] r = [1, 2, 3, 4], v = [10, 20, 30, 40];
        var (adv, ret) = Run(n: 2, r, v, new bool[4], new bool[4], new float[4], nextValue: 50);
        double[] expected =
        [
            1 + 0.9 * 2 + 0.81 * 30,    // 27.1
            2 + 0.9 * 3 + 0.81 * 40,    // 37.1
            3 + 0.9 * 4 + 0.81 * 50,    // 47.1: the window reaches the rollout's end
            4 + 0.9 * 50,               // 49
        ];
        AssertClose(expected, ret);
        AssertClose(expected.Select((x, i) => x - v[i]).ToArray(), adv);
    }

    [Fact]
    public void A_terminated_and_a_truncated_episode_in_the_rollout_stop_the_sums_with_zero_and_the_final_value()
    {
        // Episode A ends by termination at step 1; episode B is truncated at step 3 (V(final obs) = 100);
        // episode C starts at step 4 and is cut by the rollout (V(next) = 50).
        float[] r = [1, 2, 3, 4, 5], v = [10, 20, 30, 40, 60];
        bool[] terminated = [false, true, false, false, false];
        bool[] truncated = [false, false, false, true, false];
        float[] finalValues = [0, 0, 0, 100, 0];
        var (adv, ret) = Run(n: 3, r, v, terminated, truncated, finalValues, nextValue: 50);
        double[] expected =
        [
            1 + 0.9 * 2,                   // terminated: nothing after step 1
            2,
            3 + 0.9 * 4 + 0.81 * 100,      // truncated: V(final observation), not V(s_4) of episode C
            4 + 0.9 * 100,
            5 + 0.9 * 50,
        ];
        AssertClose(expected, ret);
        AssertClose(expected.Select((x, i) => x - v[i]).ToArray(), adv);
    }

    [Fact]
    public void One_step_returns_are_the_td_targets()
    {
        float[] r = [1, 2, 3], v = [10, 20, 30];
        var (_, ret) = Run(n: 1, r, v, new bool[3], new bool[3], new float[3], nextValue: 40);
        AssertClose([1 + 0.9 * 20, 2 + 0.9 * 30, 3 + 0.9 * 40], ret);
    }

    [Fact]
    public void Returns_as_long_as_the_rollout_equal_gae_at_lambda_one()
    {
        float[] rewards = [1, -2, 3, 0.5f, 4, 1, 2, -1];
        bool[] terminated = [false, false, true, false, false, false, false, false];
        bool[] truncated = [false, false, false, false, false, true, false, false];
        float[] values = [0.3f, 1, 2, -1, 0.7f, 0.2f, 1.5f, 3];
        float[] finalValues = [0, 0, 0, 0, 0, 6, 0, 0];
        float[] next = [2, -3];
        var adv = new float[8];
        var ret = new float[8];
        NStepReturns.Compute(4, 2, 4, Gamma, rewards, values, terminated, truncated, finalValues, next, adv, ret);
        var gaeAdv = new float[8];
        var gaeRet = new float[8];
        Gae.Compute(4, 2, Gamma, 1.0, rewards, values, terminated, truncated, finalValues, next, gaeAdv, gaeRet);
        AssertClose(gaeRet.Select(x => (double)x).ToArray(), ret);
        AssertClose(gaeAdv.Select(x => (double)x).ToArray(), adv);
    }

    [Fact]
    public void N_below_one_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            NStepReturns.Compute(1, 1, 0, Gamma, [1], [0], [false], [false], [0], [0], new float[1], new float[1]));
    }

    private static (float[] Advantages, float[] Returns) Run(int n, float[] r, float[] v, bool[] terminated, bool[] truncated, float[] finalValues, float nextValue)
    {
        var adv = new float[r.Length];
        var ret = new float[r.Length];
        NStepReturns.Compute(r.Length, 1, n, Gamma, r, v, terminated, truncated, finalValues, [nextValue], adv, ret);
        return (adv, ret);
    }

    private static void AssertClose(double[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 4);
    }
}
