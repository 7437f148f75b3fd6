using Robotics.Training.Algorithms.Ppo;
using Robotics.Training.Runner;
using static Robotics.Training.Tests.Runner.RunnerTestKit;

namespace Robotics.Training.Tests.Runner;

public sealed class UpdateBenchmarkTests
{
    [Fact]
    public void Both_gradient_paths_are_timed_with_learning_split_into_its_parts()
    {
        var config = SmallConfig(10_000);
        using var source = PointMass();

        var result = UpdateBenchmark.Measure(config, source, new UpdateBenchmarkOptions { Updates = 3, WarmupUpdates = 1 });

        Assert.True(result.Bridge.StepsPerSecond > 0 && result.Bridge.RolloutMs > 0, result.Bridge.ToString());
        Assert.Equal(["autograd", "analytic"], result.Timings.Select(t => t.Gradients));
        foreach (var t in result.Timings)
        {
            Assert.Equal(3, t.Updates);
            Assert.Equal(config.Options<PpoOptions>().Epochs * config.Options<PpoOptions>().Minibatches, t.MinibatchSteps);
            Assert.True(t.CollectMs > 0 && t.GradientMs > 0 && t.OptimizerMs > 0 && t.OtherMs >= 0, t.ToString());
            Assert.InRange(t.EnvWaitMs, double.Epsilon, t.CollectMs);
            // Each part is inside every update's learning time, so its median is at most the whole's.
            Assert.All(new[] { t.GradientMs, t.OptimizerMs, t.OtherMs }, part => Assert.True(part <= t.LearnMs, t.ToString()));
            Assert.InRange(t.LearnShare, 0.0, 1.0);
            // Training steps/s is the batch over collecting and learning, so below the collection's own rate.
            Assert.True(t.TrainingStepsPerSecond < t.CollectStepsPerSecond, t.ToString());
            // Every throughput, times the time it is over, is the rollout's batch as the config sets it (4 envs x 32
            // steps). Mutation guarded: a batch counted per environment (32), which the old check, the implementation's
            // own formula recomputed, let through.
            int batch = config.NumEnvs * config.Options<PpoOptions>().RolloutSteps;
            Assert.Equal(batch, t.CollectStepsPerSecond * t.CollectMs / 1e3, 1e-6);
            Assert.Equal(batch, t.TrainingStepsPerSecond * (t.CollectMs + t.LearnMs) / 1e3, 1e-6);
            Assert.Equal(batch, t.FractionOfBridge * result.Bridge.StepsPerSecond * (t.CollectMs + t.LearnMs) / 1e3, 1e-6);
        }
    }

    [Fact]
    public void A_config_for_another_algorithm_is_refused()
    {
        using var source = PointMass();
        var error = Assert.Throws<TrainingSetupException>(() =>
            UpdateBenchmark.Measure(SmallConfig(1000) with { Algorithm = "sac" }, source, new UpdateBenchmarkOptions()));
        Assert.Contains("PPO", error.Message);
    }
}
