using Robotics.Training.Algorithms.OnPolicy;
using Robotics.Training.Algorithms.Ppo;

namespace Robotics.Training.Tests.Algorithms.OnPolicy;

public sealed class GaeTests
{
    private const double Gamma = 0.9;
    private const double Lambda = 0.5;

    [Fact]
    public void Uninterrupted_rollout_bootstraps_from_the_next_value()
    {
        // One env, three steps, no episode end. delta_t = r_t + g V_{t+1} - V_t.
        float[] r = [1, 2, 3], v = [0.5f, 1, 1.5f];
        var (adv, ret) = Run(r, v, [false, false, false], [false, false, false], [0, 0, 0], nextValue: 2);
        double d2 = 3 + 0.9 * 2 - 1.5;    // 3.3
        double d1 = 2 + 0.9 * 1.5 - 1;    // 2.35
        double d0 = 1 + 0.9 * 1 - 0.5;    // 1.4
        double a2 = d2, a1 = d1 + 0.45 * a2, a0 = d0 + 0.45 * a1;
        AssertClose([a0, a1, a2], adv);
        AssertClose([a0 + 0.5, a1 + 1, a2 + 1.5], ret);
    }

    [Fact]
    public void Termination_cuts_the_future_and_the_lambda_chain()
    {
        float[] r = [1, 2, 3], v = [0.5f, 1, 1.5f];
        var (adv, _) = Run(r, v, [false, true, false], [false, false, false], [0, 0, 0], nextValue: 2);
        double a2 = 3 + 0.9 * 2 - 1.5;          // 3.3
        double a1 = 2 + 0 - 1;                  // terminated: no future value, no chain
        double a0 = (1 + 0.9 * 1 - 0.5) + 0.45 * a1;
        AssertClose([a0, a1, a2], adv);
    }

    [Fact]
    public void Truncation_in_the_middle_bootstraps_from_the_final_observation_value()
    {
        // Step 1 was cut by the time limit: its future is V(final obs) = 4, not V(s_2) of the next episode.
        float[] r = [1, 2, 3], v = [0.5f, 1, 1.5f];
        var (adv, ret) = Run(r, v, [false, false, false], [false, true, false], [0, 4, 0], nextValue: 2);
        double a2 = 3 + 0.9 * 2 - 1.5;          // 3.3
        double a1 = 2 + 0.9 * 4 - 1;            // 4.6, chain restarts
        double a0 = (1 + 0.9 * 1 - 0.5) + 0.45 * a1;
        AssertClose([a0, a1, a2], adv);
        AssertClose([a0 + 0.5, a1 + 1, a2 + 1.5], ret);
    }

    [Fact]
    public void Environments_are_independent_columns()
    {
        // Two envs interleaved [t, e]; env 1 terminates at t = 0, env 0 does not.
        float[] r = [1, 10, 2, 20], v = [0, 0, 0, 0];
        var adv = new float[4];
        var ret = new float[4];
        Gae.Compute(2, 2, Gamma, Lambda, r, v, [false, true, false, false], [false, false, false, false], new float[4], [0, 0], adv, ret);
        AssertClose([1 + 0.45 * 2, 10, 2, 20], adv);
    }

    private static (float[] Adv, float[] Ret) Run(float[] r, float[] v, bool[] term, bool[] trunc, float[] final, float nextValue)
    {
        var adv = new float[r.Length];
        var ret = new float[r.Length];
        Gae.Compute(r.Length, 1, Gamma, Lambda, r, v, term, trunc, final, [nextValue], adv, ret);
        return (adv, ret);
    }

    private static void AssertClose(double[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 5);
    }
}
