using Robotics.Training.Algorithms.Ppo;
using Robotics.Training.Monitoring;
using Robotics.Training.Runner;
using Robotics.Training.Tests.Runner;

namespace Robotics.Training.Tests.Algorithms.Ppo;

public sealed class KlAdaptiveLearningRateTests
{
    [Fact]
    public void The_rate_falls_by_1_5_above_twice_the_desired_kl_and_rises_by_1_5_below_half_of_it()
    {
        var rate = new KlAdaptiveLearningRate(initial: 1e-3, desiredKl: 0.01, min: 1e-5, max: 1e-2);

        Assert.Equal(1e-3 / 1.5, rate.Update(0.021), 15);
        Assert.Equal(1e-3 / 1.5, rate.Update(0.02), 15);   // exactly twice: no change
        Assert.Equal(1e-3 / 1.5, rate.Update(0.01), 15);
        Assert.Equal(1e-3 / 1.5, rate.Update(0.005), 15);  // exactly half: no change
        Assert.Equal(1e-3, rate.Update(0.004), 15);
        Assert.Equal(1e-3, rate.Update(0.0), 15);          // no measured change says nothing
    }

    [Fact]
    public void The_rate_stays_within_its_bounds()
    {
        var rate = new KlAdaptiveLearningRate(initial: 1e-3, desiredKl: 0.01, min: 5e-4, max: 2e-3);

        for (int i = 0; i < 10; i++) rate.Update(1.0);
        Assert.Equal(5e-4, rate.Value, 15);
        for (int i = 0; i < 10; i++) rate.Update(1e-6);
        Assert.Equal(2e-3, rate.Value, 15);
    }

    [Theory]
    [InlineData(1e-7, 1e-4)]   // every step overshoots a tiny target: the rate falls to its floor
    [InlineData(10.0, 3e-3)]   // no step reaches a huge target: the rate climbs to its ceiling
    public void Ppo_with_the_adaptive_schedule_steers_its_logged_rate_by_the_measured_kl(double desiredKl, double expectedRate)
    {
        var config = RunnerTestKit.SmallConfig(totalSteps: 2 * 128).WithOptions(RunnerTestKit.SmallConfig(1).Options<PpoOptions>() with { LrSchedule = "adaptive", LearningRate = 1e-3, DesiredKl = desiredKl, LrMin = 1e-4, LrMax = 3e-3 });
        var updates = new List<MetricRecord>();

        new TrainingRunner(config, RunnerTestKit.TempRunDir(), RunnerTestKit.PointMass()) { OnUpdate = updates.Add }.Train(new RunnerTestKit.Quiet(), resume: false);

        Assert.Equal(expectedRate, updates[^1]["charts/learning_rate"], 12);
    }

    [Fact]
    public void A_resumed_run_continues_from_the_adapted_rate_it_was_stopped_with()
    {
        var config = RunnerTestKit.SmallConfig(totalSteps: 6 * 128).WithOptions(RunnerTestKit.SmallConfig(1).Options<PpoOptions>() with { LrSchedule = "adaptive", LearningRate = 1e-3, DesiredKl = 0.002 });

        RunnerTestKit.AssertResumeMatchesUninterrupted(config, stopAfter: 2, updates: 6, ["charts/learning_rate", "losses/approx_kl", "losses/policy_loss"]);
    }
}
