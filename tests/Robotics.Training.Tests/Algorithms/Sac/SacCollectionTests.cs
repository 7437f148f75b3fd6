using Robotics.Contract.Environments;
using Robotics.Training.Algorithms.Sac;
using Robotics.Training.Configuration;
using Robotics.Training.Monitoring;
using Robotics.Training.Tests.Fakes;
using TorchSharp;

namespace Robotics.Training.Tests.Algorithms.Sac;

public sealed class SacCollectionTests
{
    [Fact]
    public void Truncated_transitions_store_the_final_observation_and_bootstrap_terminated_ones_do_not()
    {
        // Given a scripted environment whose episode is truncated at step 2 and terminated at step 4,
        var config = new TrainingConfig
        {
            Algorithm = "sac",
            Task = "scripted",
            NumEnvs = 1,
            Policy = new PolicyOptions { HiddenSizes = [8] },
        }.WithOptions(new SacOptions { StepsPerIteration = 4, BufferSize = 10, LearningStarts = 10, BatchSize = 2 });
        using var env = new ScriptedEnv();
        torch.manual_seed(3);
        using var sac = new SacAlgorithm(config, env.Spec, torch.CPU);

        // when one iteration is collected,
        sac.ResetEnvironments(env, seed: 1);
        var episodes = new List<EpisodeRecord>();
        sac.Collect(env, episodes, new MetricRecord());

        // then each transition's next observation is the one that followed it in its own episode, and only
        // the terminated one is marked done.
        var buffer = sac.Buffer;
        Assert.Equal(4, buffer.Count);
        Assert.Equal(new[] { 0f, 0f, 1f, 0f, 0f, 0f, 3f, 0f }, buffer.Observations.Take(8));
        Assert.Equal(new[] { 1f, 0f, 20f, 0f, 3f, 0f, 40f, 0f }, buffer.NextObservations.Take(8));
        Assert.Equal(new[] { 1f, 2f, 3f, 4f }, buffer.Rewards.Take(4));
        Assert.Equal(new[] { 0f, 0f, 0f, 1f }, buffer.Terminated.Take(4));
        Assert.Equal(2, episodes.Count);
        Assert.All(buffer.Actions.Take(4), a => Assert.InRange(a, -1f, 1f));
    }

    [Fact]
    public void Learning_waits_for_learning_starts_and_reports_every_metric_from_the_first_iteration()
    {
        var config = new TrainingConfig
        {
            Algorithm = "sac",
            Task = "point-mass-centre",
            NumEnvs = 2,
            Policy = new PolicyOptions { HiddenSizes = [16] },
        }.WithOptions(new SacOptions { StepsPerIteration = 8, BufferSize = 100, LearningStarts = 20, BatchSize = 8, UpdatesPerStep = 0.5 });
        using var env = new PointMassVectorEnv(2);
        torch.manual_seed(3);
        using var sac = new SacAlgorithm(config, env.Spec, torch.CPU);
        sac.ResetEnvironments(env, seed: 1);

        var first = new MetricRecord();
        sac.Collect(env, new List<EpisodeRecord>(), first);
        Assert.True(sac.Learn(0, first, out _));
        Assert.Equal(0, first["losses/updates"]);
        Assert.True(double.IsNaN(first["losses/qf1_loss"]));

        var second = new MetricRecord();
        sac.Collect(env, new List<EpisodeRecord>(), second);
        Assert.True(sac.Learn(0, second, out _));

        // 16 transitions per iteration at 0.5 updates per transition.
        Assert.Equal(8, second["losses/updates"]);
        Assert.Equal(0.25, second["charts/replay_ratio"], 6);
        Assert.Equal(first.Names, second.Names.Where(first.Names.Contains));
        foreach (var name in new[] { "losses/qf1_loss", "losses/qf2_loss", "losses/actor_loss", "losses/alpha_loss", "losses/alpha", "losses/entropy", "q/qf1_mean", "q/qf2_max", "q/target_min" })
            Assert.True(double.IsFinite(second[name]), name);
        Assert.True(second["losses/alpha"] < 1.0, "alpha should have moved from its initial 1.0");
    }

    /// <summary>
    /// One environment, observation [t, 0] after step t; reward t; step 2 is truncated with final observation
    /// [20, 0], step 4 terminated with [40, 0]; a reset observation is [0, 0].
    /// </summary>
    private sealed class ScriptedEnv : IVectorEnv
    {
        private int t;

        public EnvSpec Spec { get; } = new(1, 2, 1, [-2f], [2f], PointMassVectorEnv.Contract, 0.05, 2);

        public void Reset(int seed, VectorStep into)
        {
            t = 0;
            into.Observations[0] = 0;
            into.Observations[1] = 0;
        }

        public void Step(ReadOnlySpan<float> actions, VectorStep into)
        {
            t++;
            into.Episodes.Clear();
            into.Rewards[0] = t;
            into.Truncated[0] = t == 2;
            into.Terminated[0] = t == 4;
            into.Observations[1] = 0;
            if (t is 2 or 4)
            {
                into.FinalObservations[0] = 10 * t;
                into.FinalObservations[1] = 0;
                into.Observations[0] = 0;
                into.Episodes.Add(new EpisodeRecord(0, t, 2, t == 4, t == 2));
            }
            else
            {
                into.Observations[0] = t;
            }
        }

        public void Dispose()
        {
        }
    }
}
