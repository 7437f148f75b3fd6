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
    public void The_kl_logged_for_a_stopped_update_counts_the_steps_taken_only()
    {
        var perMinibatch = Train("minibatch", targetKl: 1e-6);
        var perEpoch = Train("epoch", targetKl: 1e-6);

        // The one step taken was measured before anything moved (within the target); the minibatch that stopped the
        // update, measured after that step, is not in the figure. The epoch check's figure holds steps that moved.
        Assert.All(perMinibatch, u => Assert.InRange(Math.Abs(u["losses/approx_kl"]), 0, 1e-6));
        Assert.All(perEpoch, u => Assert.True(u["losses/approx_kl"] > 1e-5, $"epoch KL {u["losses/approx_kl"]}"));
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
