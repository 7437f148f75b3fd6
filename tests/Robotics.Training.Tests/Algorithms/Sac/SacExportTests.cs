using Robotics.Contract.Environments;
using Robotics.Training.Algorithms.Sac;
using Robotics.Training.Configuration;
using Robotics.Training.Export;
using Robotics.Training.Tests.Export;
using TorchSharp;

namespace Robotics.Training.Tests.Algorithms.Sac;

public sealed class SacExportTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("robotics-sac-export-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Exported_sac_policy_matches_its_torchsharp_deterministic_forward()
    {
        // Given a SAC actor with running statistics far from identity on the two-joint robot,
        var contract = ExportTestPolicies.TwoLinkContract();
        var spec = new EnvSpec(1, contract.ObservationSize, contract.ActionSize, [-1f, -5f], [1f, 5f], contract, 0.02, 100);
        var config = new TrainingConfig { Algorithm = "sac", Task = "balance", Policy = new PolicyOptions { HiddenSizes = [32, 32], Activation = "relu" } };
        torch.manual_seed(11);
        using var sac = new SacAlgorithm(config, spec, torch.CPU);
        int n = contract.ObservationSize;
        sac.ObservationNormalizer.Stats.Restore(
            Enumerable.Range(0, n).Select(i => 0.3 * i - 0.5).ToArray(),
            Enumerable.Range(0, n).Select(i => 0.05 + i).ToArray(),
            1000);

        // when it is exported,
        var policy = sac.ToExportable(contract, "sac-test", 42);
        var report = OnnxExporter.Export(policy, Path.Combine(directory, "sac.onnx"), new Dictionary<string, PolicyForward>
        {
            ["sac TorchSharp"] = sac.ActDeterministic,
        });

        // then the graph applies tanh and the action map, and ONNX Runtime reproduces the TorchSharp forward.
        Assert.Equal("tanh", policy.Squash);
        Assert.Equal("sac", policy.Algorithm);
        Assert.Equal(3, policy.Layers.Count);
        Assert.Equal(contract.ActionSize, policy.ActionSize);
        Assert.Equal(2, report.Comparisons.Count);
        Assert.All(report.Comparisons, c => Assert.True(c.MaxAbsDifference <= 1e-5, $"{c.Reference}: max difference {c.MaxAbsDifference}"));

        var observations = Enumerable.Range(0, 4 * n).Select(i => (float)Math.Sin(i) * 3).ToArray();
        var viaTorch = sac.ActDeterministic(observations, 4);
        var viaPlainForward = policy.ActDeterministic(observations, 4);
        for (int i = 0; i < viaTorch.Length; i++) Assert.Equal(viaTorch[i], viaPlainForward[i], 1e-5f);
    }
}
