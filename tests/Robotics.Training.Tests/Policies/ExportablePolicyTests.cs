using Robotics.Training.Checkpoints;
using Robotics.Training.Policies;
using Robotics.Training.Runner;
using TorchSharp;
using static Robotics.Training.Tests.Runner.RunnerTestKit;

namespace Robotics.Training.Tests.Policies;

public sealed class ExportablePolicyTests
{
    [Fact]
    public void Plain_arrays_reproduce_the_trained_networks_deterministic_actions()
    {
        string dir = TempRunDir();
        new TrainingRunner(SmallConfig(totalSteps: 2 * 128), dir, PointMass()).Train(new Quiet(), resume: false);

        var exported = ExportablePolicy.LoadForExport(dir);
        var (_, _, algorithm) = CheckpointFiles.Load(CheckpointFiles.Resolve(dir), torch.CPU);
        using (algorithm)
        {
            // Raw observations, including ones far outside the training range (they hit the normalizer's clip).
            float[] obs = [0.1f, -0.2f, 1.5f, 0.7f, -30f, 45f, 0f, 0f];
            var fromArrays = exported.ActDeterministic(obs, 4);
            var fromTorch = algorithm.ActDeterministic(obs, 4);
            for (int i = 0; i < fromTorch.Length; i++) Assert.Equal(fromTorch[i], fromArrays[i], 5);
        }

        Assert.Equal("ppo", exported.Algorithm);
        Assert.Equal("clip", exported.Squash);
        Assert.Equal("tanh", exported.Activation);
        Assert.Equal([2, 16, 16], exported.Layers.Select(l => l.In));
        Assert.Equal([16, 16, 1], exported.Layers.Select(l => l.Out));
        Assert.Equal(Fakes.PointMassVectorEnv.Contract.Hash, exported.Contract.Hash);
        Assert.Equal(256, exported.Step);
    }
}
