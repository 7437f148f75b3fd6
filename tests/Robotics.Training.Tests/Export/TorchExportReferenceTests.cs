using Robotics.Training.Export;

namespace Robotics.Training.Tests.Export;

public sealed class TorchExportReferenceTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("robotics-export-torch-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Theory]
    [InlineData("tanh", "clip")]
    [InlineData("elu", "tanh")]
    public void Export_agrees_with_the_TorchSharp_forward_pass_within_1e_5(string activation, string squash)
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
