using Robotics.Training.Algorithms.OnPolicy;
using Robotics.Training.Algorithms.Ppo;
using Robotics.Training.Algorithms.Reinforce;

namespace Robotics.Training.Tests.Algorithms.Reinforce;

public sealed class GradientVarianceTests
{
    [Fact]
    public void Spread_is_the_trace_of_the_sample_covariance_and_the_squared_norm_of_the_mean()
    {
        // Mean (2, 1); deviations (-1, -1), (1, -1), (0, 2): squared norms 2 + 2 + 4 = 8, over K - 1 = 2.
        var (trace, meanNormSquared) = GradientVariance.Spread([[1, 0], [3, 0], [2, 3]]);
        Assert.Equal(4.0, trace, 10);
        Assert.Equal(5.0, meanNormSquared, 10);
    }

    [Fact]
    public void The_three_estimators_weight_the_same_rollout_with_returns_returns_minus_values_and_gae()
    {
        var s = new RolloutStorage(steps: 2, envs: 1, observationSize: 1, actionSize: 1);
        s.Rewards[0] = 1;
        s.Rewards[1] = 2;
        s.Values[0] = 0.5f;
        s.Values[1] = 1;
        s.NextValues[0] = 3;
        var options = new GradientVarianceOptions { Gamma = 0.5, GaeLambda = 0.5 };
        var w = new float[2];

        GradientVariance.ComputeWeights(s, "reinforce", options, w);
        Assert.Equal([1 + 0.5f * 2, 2], w);

        GradientVariance.ComputeWeights(s, "reinforce_baseline", options, w);
        Assert.Equal([1 + 0.5f * (2 + 0.5f * 3) - 0.5f, 2 + 0.5f * 3 - 1], w);

        GradientVariance.ComputeWeights(s, "gae", options, w);
        float delta1 = 2 + 0.5f * 3 - 1, delta0 = 1 + 0.5f * 1 - 0.5f;
        Assert.Equal(delta1, w[1], 5);
        Assert.Equal(delta0 + 0.25f * delta1, w[0], 5);
    }
}
