using Robotics.Training.Algorithms.Ppo;
using Robotics.Training.Monitoring;
using Robotics.Training.Runner;
using Robotics.Training.Tests.Runner;

namespace Robotics.Training.Tests.Algorithms.Ppo;

public sealed class KlStopTests
{
    [Theory]
    // A target one step of 1e-2 oversteps: the epoch check lets the whole first epoch through (4 minibatch steps), the
    // minibatch check stops before the second step (the first minibatch is measured before anything moved: only float
    // rounding, about 1e-8).
    [InlineData("epoch", 4)]
    [InlineData("minibatch", 1)]
    public void A_tiny_target_kl_ends_each_update_where_its_check_sits(string klStop, int stepsPerUpdate)
    {
        var updates = Train(klStop, targetKl: 1e-6);

        Assert.All(updates, u =>
        {
            Assert.Equal(stepsPerUpdate, u["losses/minibatches"]);
            Assert.Equal(1, u["losses/epochs"]);
        });
    }

    [Fact]
    public void A_target_no_minibatch_reaches_runs_every_epoch_with_either_check()
    {
        var perEpoch = Train("epoch", targetKl: 1e6);
        var perMinibatch = Train("minibatch", targetKl: 1e6);

        Assert.All(perMinibatch, u => Assert.Equal(4 * 4, u["losses/minibatches"]));
        // Nothing stops, so the two checks train alike, number for number.
        for (int i = 0; i < perEpoch.Count; i++)
            Assert.Equal(perEpoch[i]["losses/policy_loss"], perMinibatch[i]["losses/policy_loss"]);
    }

    [Fact]
    public void A_stopped_update_logs_the_kl_that_stopped_it_and_counts_only_the_steps_taken()
    {
        var updates = Train("minibatch", targetKl: 1e-6);

        // Two minibatches measured (the one stepped, at about 0, and the one after it, past the target), one step taken.
        Assert.All(updates, u =>
        {
            Assert.True(u["losses/approx_kl"] > 1e-6 / 2, $"logged KL {u["losses/approx_kl"]}");
            Assert.Equal(1, u["losses/minibatches"]);
            Assert.InRange(u["losses/clipfrac"], 0, 1);
        });
    }

    private static List<MetricRecord> Train(string klStop, double targetKl)
    {
        var small = RunnerTestKit.SmallConfig(totalSteps: 3 * 128);
        var config = small.WithOptions(small.Options<PpoOptions>() with { TargetKl = targetKl, KlStop = klStop, LearningRate = 1e-2, LrSchedule = "constant" });
        var updates = new List<MetricRecord>();
        new TrainingRunner(config, RunnerTestKit.TempRunDir(), RunnerTestKit.PointMass()) { OnUpdate = updates.Add }.Train(new RunnerTestKit.Quiet(), resume: false);
        Assert.Equal(3, updates.Count);
        return updates;
    }
}
