using Robotics.Contract.Environments;
using Robotics.Training.Checkpoints;
using Robotics.Training.Configuration;
using Robotics.Training.Environments;
using Robotics.Training.Runner;
using Robotics.Training.Tests.Fakes;
using TorchSharp;
using static Robotics.Training.Tests.Runner.RunnerTestKit;

namespace Robotics.Training.Tests.Runner;

public sealed class RecoveryTests
{
    [Fact]
    public void Evaluation_collapse_reloads_the_best_checkpoint_and_lowers_the_learning_rate()
    {
        // Given environments that pay nothing during the evaluation before training (at most 2 episodes of 50 steps),
        // pay for about 3 updates, then pay nothing again: the evaluation return falls back to the untrained 0, far
        // below half the gain; after 2 such evaluations the runner recovers.
        var world = new World { RewardFromStep = 100, RewardUntilStep = 100 + 3 * 128 };
        var source = new InProcessEnvironmentSource("vanishing reward", n => new VanishingRewardEnv(n, world));
        // Episodes last 50 steps at most, so every evaluation returns between 1 and 50 while the reward lasts.
        var config = SmallConfig(totalSteps: 8 * 128, checkpointEvery: 100) with
        {
            Evaluation = new EvaluationOptions { EveryUpdates = 1, Episodes = 2, CollapseFraction = 0.5, CollapsePatience = 2, RecoveryLrFactor = 0.5 },
        };
        var quiet = new Quiet();
        string dir = TempRunDir();

        var result = new TrainingRunner(config, dir, source).Train(quiet, resume: false);

        Assert.True(result.Recoveries >= 1, string.Join(" | ", quiet.Messages));
        Assert.Contains(quiet.Messages, m => m.Contains("evaluation before training: return 0.00"));
        Assert.Contains(quiet.Messages, m => m.Contains("recovery 1") && m.Contains("reloaded best.ckpt") && m.Contains("learning rate scale now 0.5"));
        var (_, _, algorithm) = CheckpointFiles.Load(new RunFolder(dir).LastCheckpoint, torch.CPU);
        using (algorithm) Assert.True(algorithm.LearningRateScale <= 0.5);
    }

    /// <summary>Steps taken by every environment of a source together, so evaluation sees the change too.</summary>
    private sealed class World
    {
        public long Steps;
        public long RewardFromStep;
        public long RewardUntilStep;
    }

    private sealed class VanishingRewardEnv(int n, World world) : IVectorEnv
    {
        private readonly PointMassVectorEnv inner = new(n, maxSteps: 50);
        public EnvSpec Spec => inner.Spec;
        public void Reset(int seed, VectorStep into) => inner.Reset(seed, into);

        public void Step(ReadOnlySpan<float> actions, VectorStep into)
        {
            inner.Step(actions, into);
            world.Steps += n;
            // 1 per step while the reward lasts (a return equal to the length), 0 before and after.
            float reward = world.Steps > world.RewardFromStep && world.Steps <= world.RewardUntilStep ? 1 : 0;
            Array.Fill(into.Rewards, reward);
            for (int i = 0; i < into.Episodes.Count; i++) into.Episodes[i] = into.Episodes[i] with { Return = reward * into.Episodes[i].Length };
        }

        public void Dispose() => inner.Dispose();
    }
}
