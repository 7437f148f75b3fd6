using System.Text.Json;
using Google.Protobuf;
using Robotics.Contract;
using Robotics.Runtime.Policy;
using Robotics.Training.Export;
using Robotics.Training.Export.Onnx;
using static Robotics.Training.Tests.Runner.RunnerTestKit;

namespace Robotics.Training.Tests.Export;

/// <summary>
/// The runtime's tests load models that this exporter wrote (tests/Robotics.Runtime.Tests/Models), so
/// that they need no training stack. This test fails when the exporter's output changes; set
/// ROBOTICS_UPDATE_TEST_MODELS=1 and run it again to rewrite them. A run that rewrites a file fails too (it
/// would otherwise compare the files it just wrote with themselves): run it once more without the variable.
/// </summary>
public sealed class ExportTestModelsTests
{
    private const string FixedVersion = "0.0.0-test";

    [Fact]
    public void Runtime_test_models_are_what_the_exporter_writes_now()
    {
        var models = Path.Combine(RepositoryRoot(), "tests", "Robotics.Runtime.Tests", "Models");
        var policy = ExportTestPolicies.Random(ExportTestPolicies.TwoLinkContract(), [16], seed: 7);
        var model = PolicyGraphBuilder.Build(policy, FixedVersion);
        var observations = ExportCheckSamples.Create(policy, 16, seed: 11);
        var expected = JsonSerializer.Serialize(new
        {
            observations,
            actions = policy.ActDeterministic(observations, 16),
        });

        var files = new Dictionary<string, byte[]>
        {
            ["two_link_policy.onnx"] = model,
            ["two_link_policy.expected.json"] = System.Text.Encoding.UTF8.GetBytes(expected),
            ["two_link_policy_wrong_shape.onnx"] = WithObservationTermAdded(model),
        };

        var update = Environment.GetEnvironmentVariable("ROBOTICS_UPDATE_TEST_MODELS") == "1";
        var stale = files.Where(f => !IsCurrent(Path.Combine(models, f.Key), f.Value)).Select(f => f.Key).ToList();
        if (update)
        {
            foreach (var name in stale) File.WriteAllBytes(Path.Combine(models, name), files[name]);
            Assert.True(stale.Count == 0, $"rewrote {string.Join(", ", stale)} in {models}; run this test again without ROBOTICS_UPDATE_TEST_MODELS to check them");
        }

        Assert.True(stale.Count == 0,
            $"{string.Join(", ", stale)} in {models} differ from what the exporter writes now; run this test with ROBOTICS_UPDATE_TEST_MODELS=1 to rewrite them");
    }

    private static bool IsCurrent(string path, byte[] bytes) => File.Exists(path) && File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes);

    // A consistent contract (hashes recomputed) whose observation layout no longer matches the graph's input.
    private static byte[] WithObservationTermAdded(byte[] model)
    {
        var proto = ModelProto.Parser.ParseFrom(model);
        var contract = PolicyContract.FromJson(proto.MetadataProps.Single(p => p.Key == PolicyMetadata.PolicyContractKey).Value);
        contract = contract with { Observations = [.. contract.Observations, new ObservationTermSpec("command", ["speed"], 1)] };
        var metadata = new PolicyMetadata(contract, "ppo", "test-run", 12_345, FixedVersion);
        proto.MetadataProps.Clear();
        foreach (var (key, value) in metadata.ToProperties(OnnxModelHash.Compute(model)))
            proto.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return proto.ToByteArray();
    }

}
