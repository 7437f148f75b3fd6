using Robotics.Contract.Environments;
using Robotics.Training.Algorithms.Ppo;
using Robotics.Training.Algorithms.Sac;
using Robotics.Training.Monitoring;
using Robotics.Training.Tests.Fakes;
using TorchSharp;
using static Robotics.Training.Tests.Runner.RunnerTestKit;

namespace Robotics.Training.Tests.Runner;

public sealed class NonFiniteTests
{
    [Fact]
    public void Update_with_a_NaN_reward_is_skipped_and_leaves_parameters_unchanged()
    {
        var (env, ppo) = PpoWithARollout();
        using var disposeEnv = env;
        using var disposePpo = ppo;
        ppo.Core.Storage.Rewards[3] = float.NaN;
        var before = ppo.Policy.ActorLayers();

        bool learned = ppo.Learn(0, new MetricRecord(), out string? culprit);

        Assert.False(learned);
        Assert.NotNull(culprit);
        Assert.Contains("loss", culprit);
        var after = ppo.Policy.ActorLayers();
        for (int l = 0; l < before.Count; l++) Assert.Equal(before[l].Weight, after[l].Weight);
        Assert.Null(ppo.FirstNonFiniteParameter());
    }

    [Fact]
    public void After_a_learned_update_two_skipped_ones_in_a_row_each_put_everything_back()
    {
        // The optimizer's snapshot is written over at every update: each undo must put back the state of its own start.
        var (env, ppo) = PpoWithARollout();
        using var disposeEnv = env;
        using var disposePpo = ppo;
        Assert.True(ppo.Learn(0, new MetricRecord(), out _));

        for (int skip = 0; skip < 2; skip++)
        {
            ppo.Collect(env, new List<EpisodeRecord>(), new MetricRecord());
            ppo.Core.Storage.Rewards[skip] = float.NaN;
            byte[] before = State(ppo); // parameters, Adam's moments and step, statistics

            Assert.False(ppo.Learn(0, new MetricRecord(), out _));
            Assert.Equal(before, State(ppo));
        }
    }

    /// <summary>PPO on four point masses (seed 2, no reward scaling) with one rollout collected.</summary>
    private static (PointMassVectorEnv Env, PpoAlgorithm Ppo) PpoWithARollout()
    {
        torch.manual_seed(2);
        var config = SmallConfig(1000) with { Normalization = new Robotics.Training.Configuration.NormalizationOptions { RewardScaling = false } };
        var env = new PointMassVectorEnv(4);
        var ppo = new PpoAlgorithm(config, env.Spec, torch.CPU);
        ppo.ResetEnvironments(env, 1);
        ppo.Collect(env, new List<EpisodeRecord>(), new MetricRecord());
        return (env, ppo);
    }

    private static byte[] State(PpoAlgorithm ppo)
    {
        using var memory = new MemoryStream();
        using (var writer = new BinaryWriter(memory)) ppo.SaveState(writer);
        return memory.ToArray();
    }

    [Fact]
    public void Sac_update_that_meets_a_NaN_reward_is_undone_with_its_optimizers()
    {
        torch.manual_seed(2);
        var config = (SmallConfig(1000) with { Algorithm = "sac" }).WithOptions(new SacOptions { StepsPerIteration = 8, BufferSize = 100, LearningStarts = 32, BatchSize = 2 });
        using var env = new NaNRewardEnv(4, onlyAtStep: 5);
        using var sac = new SacAlgorithm(config, env.Spec, torch.CPU);
        sac.ResetEnvironments(env, 1);
        sac.Collect(env, new List<EpisodeRecord>(), new MetricRecord());
        byte[] before = State(sac);

        var metrics = new MetricRecord();
        bool learned = sac.Learn(0, metrics, out string? culprit);

        // Some of the 32 updates step before a batch draws the NaN transition; all of them are undone.
        Assert.False(learned);
        Assert.Equal("critic loss", culprit);
        Assert.Equal(1, metrics["losses/skipped_update"]);
        Assert.Equal(before, State(sac));
    }

    private static byte[] State(SacAlgorithm sac)
    {
        using var memory = new MemoryStream();
        using (var writer = new BinaryWriter(memory)) sac.SaveState(writer);
        return memory.ToArray();
    }

    [Fact]
    public void Runner_logs_skipped_updates_and_recovers_after_three_in_a_row()
    {
        var quiet = new Quiet();
        string dir = TempRunDir();
        var source = new Environments.InProcessEnvironmentSource("nan", n => new NaNRewardEnv(n));
        var result = new Training.Runner.TrainingRunner(SmallConfig(4 * 128) with { Evaluation = new Robotics.Training.Configuration.EvaluationOptions { EveryUpdates = 0 } }, dir, source)
            .Train(quiet, resume: false);

        Assert.Equal(4, result.SkippedUpdates);
        Assert.Equal(1, result.Recoveries);
        Assert.Contains(quiet.Messages, m => m.Contains("skipped") && m.Contains("not finite"));
        Assert.Contains(quiet.Messages, m => m.Contains("recovery 1"));
        Assert.Null(Robotics.Training.Checkpoints.CheckpointFiles.LoadExportable(dir).Layers.SelectMany(l => l.Weight).Cast<float?>().FirstOrDefault(w => !float.IsFinite(w!.Value)));
    }

    /// <summary>The point mass, but every reward is NaN (or only the first environment's at one step).</summary>
    private sealed class NaNRewardEnv(int n, int onlyAtStep = -1) : IVectorEnv
    {
        private readonly PointMassVectorEnv inner = new(n);
        private int steps;
        public EnvSpec Spec => inner.Spec;
        public void Reset(int seed, VectorStep into) => inner.Reset(seed, into);

        public void Step(ReadOnlySpan<float> actions, VectorStep into)
        {
            inner.Step(actions, into);
            if (onlyAtStep < 0) Array.Fill(into.Rewards, float.NaN);
            else if (steps++ == onlyAtStep) into.Rewards[0] = float.NaN;
        }

        public void Dispose() => inner.Dispose();
    }
}
