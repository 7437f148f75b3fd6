using Robotics.Contract.Environments;
using Robotics.Runtime.Policy;
using Robotics.Training.Algorithms.Ppo;
using Robotics.Training.Configuration;
using Robotics.Training.Export;
using TorchSharp;

namespace Robotics.Training.Tests.Export;

public sealed class TorchExportReferenceTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("robotics-export-torch-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    /// <summary>
    /// The reference is the training module itself (the PPO actor's mean path on raw observations through the
    /// algorithm's observation normalizer and action mapping), not anything rebuilt from the exported arrays.
    /// Mutations this catches by itself: ToExportable writing identity statistics (module -0.0063, ONNX -0.0008 in the
    /// first action), or the graph without its normalization nodes (the export refuses to write the file).
    /// </summary>
    [Fact]
    public void Onnx_output_equals_the_ppo_modules_deterministic_actions_on_raw_observations()
    {
        // Given a PPO policy with observation statistics far from identity on the two-joint robot,
        var contract = ExportTestPolicies.TwoLinkContract();
        var spec = new EnvSpec(1, contract.ObservationSize, contract.ActionSize, [-1f, -5f], [1f, 5f], contract, 0.02, 100);
        var config = new TrainingConfig { Algorithm = "ppo", Task = "balance", Policy = new PolicyOptions { HiddenSizes = [32, 32] } };
        torch.manual_seed(17);
        using var ppo = new PpoAlgorithm(config, spec, torch.CPU);
        int n = contract.ObservationSize;
        ppo.Core.ObservationNormalizer.Stats.Restore(
            Enumerable.Range(0, n).Select(i => 0.4 * i - 1.0).ToArray(),
            Enumerable.Range(0, n).Select(i => 0.02 + 0.5 * i).ToArray(),
            1000);

        // when it is exported and the file is run by ONNX Runtime on raw observations (some beyond the clip),
        var path = Path.Combine(directory, "ppo.onnx");
        OnnxExporter.Export(ppo.ToExportable(contract, "ppo-test", 7), path);
        const int batch = 16;
        var observations = Enumerable.Range(0, batch * n).Select(i => (float)(Math.Sin(0.7 * i) * (i % 5 == 0 ? 40 : 2))).ToArray();
        using var onnx = OnnxPolicy.Load(path, batch);
        observations.CopyTo(onnx.Observation, 0);
        onnx.Run();

        // then it gives the module's actions in robot units.
        var fromModule = ppo.ActDeterministic(observations, batch);
        Assert.Equal(fromModule.Length, onnx.Actions.Length);
        for (int i = 0; i < fromModule.Length; i++)
            Assert.True(Math.Abs(fromModule[i] - onnx.Actions[i]) <= 1e-5, $"action {i}: module {fromModule[i]}, onnx {onnx.Actions[i]}");
        Assert.True(fromModule.Distinct().Count() > batch, "the module's actions vary with the observation");
    }

    [Theory]
    [InlineData("tanh", "clip")]
    [InlineData("elu", "tanh")]
    public void Export_agrees_with_a_TorchSharp_forward_of_the_exported_arrays_within_1e_5(string activation, string squash)
    {
        var policy = ExportTestPolicies.Random(ExportTestPolicies.WideContract(24, 6, range: 40), [64, 64], activation, squash);
        using var torchForward = new TorchPolicyForward(policy);

        var report = OnnxExporter.Export(policy, Path.Combine(directory, "policy.onnx"),
            new Dictionary<string, PolicyForward> { ["TorchSharp"] = torchForward.Forward });

        Assert.Equal(["reference", "TorchSharp"], report.Comparisons.Select(c => c.Reference));
        Assert.All(report.Comparisons, c => Assert.True(c.MaxAbsDifference <= 1e-5, $"{c.Reference}: {c.MaxAbsDifference}"));
    }

    [Fact]
    public void TorchSharp_forward_of_one_observation_equals_its_batch_forward()
    {
        var policy = ExportTestPolicies.Random(ExportTestPolicies.TwoLinkContract(), [16]);
        using var torchForward = new TorchPolicyForward(policy);
        var observations = ExportCheckSamples.Create(policy, 4, seed: 2);
        var batch = torchForward.Forward(observations, 4);
        var single = new float[2];

        torchForward.Forward(observations.AsSpan(18, 6), single);

        Assert.Equal(batch[6..8], single);
    }
}
