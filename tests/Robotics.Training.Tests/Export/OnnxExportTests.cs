using Robotics.Runtime.Policy;
using Robotics.Training.Export;
using Robotics.Training.Policies;

namespace Robotics.Training.Tests.Export;

public sealed class OnnxExportTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("robotics-export-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Theory]
    [InlineData("tanh", "clip")]
    [InlineData("relu", "tanh")]
    [InlineData("elu", "clip")]
    public void Exported_graph_matches_the_reference_within_1e_5_on_random_and_extreme_observations(string activation, string squash)
    {
        var policy = ExportTestPolicies.Random(ExportTestPolicies.TwoLinkContract(), [64, 64], activation, squash);

        var report = OnnxExporter.Export(policy, Path.Combine(directory, "policy.onnx"));

        var comparison = Assert.Single(report.Comparisons);
        Assert.Equal(1024, report.Samples);
        Assert.True(comparison.MaxAbsDifference <= 1e-5, $"max difference {comparison.MaxAbsDifference}");
    }

    [Fact]
    public void Wide_256_unit_network_with_large_action_scales_matches_the_reference_in_action_units()
    {
        var policy = ExportTestPolicies.Random(ExportTestPolicies.WideContract(48, 12, range: 150), [256, 256], "elu", "tanh");

        var report = OnnxExporter.Export(policy, Path.Combine(directory, "wide.onnx"));

        var comparison = report.Comparisons[0];
        Assert.True(comparison.MaxAbsDifference <= 1e-5, $"max difference {comparison.MaxAbsDifference}");
        Assert.True(comparison.MaxCommandDifference <= 1e-5 * 135, $"max command difference {comparison.MaxCommandDifference}");
    }

    [Fact]
    public void Extreme_observations_are_clipped_inside_the_graph_so_commands_stay_in_the_actuator_range()
    {
        var policy = ExportTestPolicies.Random(ExportTestPolicies.TwoLinkContract(), [16]);
        var path = Path.Combine(directory, "policy.onnx");
        OnnxExporter.Export(policy, path);
        using var onnx = OnnxPolicy.Load(path, batch: 3);

        float[] extreme = [1e30f, -1e30f, 3e38f, -3e38f, 0, 1e9f, 0, 0, 0, 0, 0, 0, -1e6f, 1e6f, -1e6f, 1e6f, -1e6f, 1e6f];
        extreme.CopyTo(onnx.Observation, 0);
        onnx.Run();

        var reference = policy.ActDeterministic(extreme, 3);
        for (int i = 0; i < reference.Length; i++) Assert.Equal(reference[i], onnx.Actions[i], 1e-5f);
        for (int row = 0; row < 3; row++)
        {
            Assert.InRange(onnx.Actions[row * 2], -1f, 1f);
            Assert.InRange(onnx.Actions[row * 2 + 1], -5f, 5f);
        }
    }

    [Fact]
    public void Metadata_round_trips_through_the_runtime_loader()
    {
        var policy = ExportTestPolicies.Random(ExportTestPolicies.TwoLinkContract(), [8]);
        var path = Path.Combine(directory, "policy.onnx");

        OnnxExporter.Export(policy, path);
        using var onnx = OnnxPolicy.Load(path);

        var metadata = onnx.Metadata;
        Assert.Equal(policy.Contract.ToJson(), metadata.Contract.ToJson());
        Assert.Equal(policy.Contract.Hash, metadata.Contract.Hash);
        Assert.Equal(policy.Contract.Robot.Hash, metadata.Contract.Robot.Hash);
        Assert.Equal("ppo", metadata.Algorithm);
        Assert.Equal("test-run", metadata.RunName);
        Assert.Equal(12_345, metadata.Step);
        Assert.Equal(PolicyGraphBuilder.ProjectVersion, metadata.ProjectVersion);
        Assert.Equal(6, onnx.ObservationSize);
        Assert.Equal(2, onnx.ActionSize);
    }

    [Fact]
    public void The_batch_dimension_is_dynamic()
    {
        var policy = ExportTestPolicies.Random(ExportTestPolicies.TwoLinkContract(), [8]);
        var path = Path.Combine(directory, "policy.onnx");
        OnnxExporter.Export(policy, path);
        var observations = ExportCheckSamples.Create(policy, 7, seed: 3);

        using var one = OnnxPolicy.Load(path, batch: 1);
        using var seven = OnnxPolicy.Load(path, batch: 7);
        observations.CopyTo(seven.Observation, 0);
        seven.Run();
        observations.AsSpan(6 * 6, 6).CopyTo(one.Observation);
        one.Run();

        Assert.Equal(seven.Actions[12..14], one.Actions);
    }

    [Fact]
    public void A_disagreeing_reference_refuses_the_export_with_the_figure_and_leaves_the_old_file()
    {
        var policy = ExportTestPolicies.Random(ExportTestPolicies.TwoLinkContract(), [8]);
        var path = Path.Combine(directory, "policy.onnx");
        File.WriteAllText(path, "previous export");
        PolicyForward offByOneMillimetre = (obs, batch) => policy.ActDeterministic(obs, batch).Select(v => v + 1e-3f).ToArray();

        var error = Assert.Throws<OnnxExportException>(() =>
            OnnxExporter.Export(policy, path, new Dictionary<string, PolicyForward> { ["torch"] = offByOneMillimetre }));

        Assert.Contains("torch", error.Message);
        Assert.Matches(@"by 0\.001\d*", error.Message);
        Assert.Contains("tolerance 1E-05", error.Message);
        Assert.Equal("previous export", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(directory));
    }

    [Fact]
    public void A_policy_whose_layers_do_not_chain_is_refused_with_the_layer_named()
    {
        var policy = ExportTestPolicies.Random(ExportTestPolicies.TwoLinkContract(), [8]);
        var broken = policy with { Layers = [policy.Layers[0], new DenseLayer(9, 2, new float[18], new float[2])] };

        var error = Assert.Throws<OnnxExportException>(() => OnnxExporter.Export(broken, Path.Combine(directory, "x.onnx")));

        Assert.Contains("layer 1 takes 9 inputs but receives 8", error.Message);
        Assert.Empty(Directory.GetFiles(directory));
    }
}
