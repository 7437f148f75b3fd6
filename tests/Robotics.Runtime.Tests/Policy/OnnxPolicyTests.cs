using System.Text;
using System.Text.Json;
using Robotics.Runtime.Policy;

namespace Robotics.Runtime.Tests.Policy;

public sealed class OnnxPolicyTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("robotics-runtime-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Exported_model_reproduces_the_reference_policy_outputs()
    {
        using var expected = JsonDocument.Parse(File.ReadAllText(TestRobot.ModelPath("two_link_policy.expected.json")));
        var observations = expected.RootElement.GetProperty("observations").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        var actions = expected.RootElement.GetProperty("actions").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        using var policy = OnnxPolicy.Load(TestRobot.PolicyModel, batch: 16);

        observations.CopyTo(policy.Observation, 0);
        policy.Run();

        for (int i = 0; i < actions.Length; i++) Assert.Equal(actions[i], policy.Actions[i], 1e-5f);
    }

    [Fact]
    public void Metadata_carries_the_policy_contract_of_the_test_robot()
    {
        using var policy = OnnxPolicy.Load(TestRobot.PolicyModel);

        Assert.Equal(TestRobot.Policy().Hash, policy.Metadata.Contract.Hash);
        Assert.Equal(TestRobot.Contract().Hash, policy.Metadata.Contract.Robot.Hash);
        Assert.Equal("ppo", policy.Metadata.Algorithm);
        Assert.Equal(12_345, policy.Metadata.Step);
    }

    [Fact]
    public void A_missing_file_is_named_with_what_to_pass_instead()
    {
        var error = Assert.Throws<PolicyLoadException>(() => OnnxPolicy.Load(Path.Combine(directory, "nope.onnx")));

        Assert.Contains("nope.onnx: no such file", error.Message);
        Assert.Contains("robotics export", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("this is a text file, not a model")]
    public void A_file_that_is_not_ONNX_is_refused_as_such(string content)
    {
        var path = Path.Combine(directory, "broken.onnx");
        File.WriteAllText(path, content);

        var error = Assert.Throws<PolicyLoadException>(() => OnnxPolicy.Load(path));

        Assert.Contains("not an ONNX model", error.Message);
    }

    [Fact]
    public void A_truncated_model_is_refused_as_not_ONNX()
    {
        var bytes = File.ReadAllBytes(TestRobot.PolicyModel);
        var path = Path.Combine(directory, "truncated.onnx");
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var error = Assert.Throws<PolicyLoadException>(() => OnnxPolicy.Load(path));

        Assert.Contains("not an ONNX model", error.Message);
    }

    [Fact]
    public void A_model_without_an_obs_input_is_refused_naming_the_inputs_it_has()
    {
        // Rename every 3-byte string "obs" in the protobuf (graph input and the node reading it) to "inp", and sign
        // the edit so that the port check, not the model hash, is what refuses it.
        var bytes = Resign(Replace(File.ReadAllBytes(TestRobot.PolicyModel), "\u0003obs", "\u0003inp"));

        var error = Assert.Throws<PolicyLoadException>(() => OnnxPolicy.Load(bytes, "renamed.onnx"));

        Assert.Contains("no input named 'obs' (it has: inp)", error.Message);
    }

    [Fact]
    public void A_model_whose_input_shape_differs_from_its_contract_is_refused_with_both_shapes()
    {
        var error = Assert.Throws<PolicyLoadException>(() => OnnxPolicy.Load(TestRobot.ModelPath("two_link_policy_wrong_shape.onnx")));

        Assert.Contains("input 'obs' has shape [-1, 6] but the contract in its metadata needs [batch, 7]", error.Message);
    }

    [Fact]
    public void A_model_without_the_contract_metadata_is_refused()
    {
        var bytes = Replace(File.ReadAllBytes(TestRobot.PolicyModel), "robotics.format", "robotics.formax");

        var error = Assert.Throws<PolicyLoadException>(() => OnnxPolicy.Load(bytes, "plain.onnx"));

        Assert.Contains("metadata 'robotics.format' is missing", error.Message);
    }

    [Fact]
    public void An_edited_contract_whose_hash_no_longer_matches_is_refused()
    {
        var bytes = Replace(File.ReadAllBytes(TestRobot.PolicyModel), "\"effort_max\":4", "\"effort_max\":9");

        var error = Assert.Throws<PolicyLoadException>(() => OnnxPolicy.Load(bytes, "edited.onnx"));

        Assert.Contains("does not match its contract", error.Message);
    }

    [Fact]
    public void A_model_with_one_weight_changed_is_refused_before_it_runs()
    {
        // Mutation guarded: a runtime that checks only the contract hashes runs edited weights (they are outside the
        // metadata). The initializer "layer0_weight" is its name, then raw_data (tag 'J', a length varint of at most
        // two bytes, the floats): the byte flipped is in its first one or two weights, the least significant bit.
        var edited = File.ReadAllBytes(TestRobot.PolicyModel);
        int weights = IndexOf(edited, "layer0_weightJ");
        Assert.True(weights > 0);
        edited[weights + "layer0_weightJ".Length + 2] ^= 0x01;

        var error = Assert.Throws<PolicyLoadException>(() => OnnxPolicy.Load(edited, "edited-weights.onnx"));

        Assert.Contains("edited-weights.onnx: the graph or weights do not match the model hash in its metadata", error.Message);
    }

    [Fact]
    public void A_model_whose_model_hash_was_removed_is_refused()
    {
        var bytes = Replace(File.ReadAllBytes(TestRobot.PolicyModel), "robotics.model_hash", "robotics.model_hasx");

        var error = Assert.Throws<PolicyLoadException>(() => OnnxPolicy.Load(bytes, "unsigned.onnx"));

        Assert.Contains("metadata 'robotics.model_hash' is missing", error.Message);
    }

    [Fact]
    public void A_model_with_a_second_graph_appended_is_refused()
    {
        // A protobuf reader merges a repeated graph field into the first one, so what runs would not be what was hashed.
        var bytes = File.ReadAllBytes(TestRobot.PolicyModel);
        byte[] secondGraph = [7 << 3 | 2, 3, 10 << 3 | 2, 1, (byte)'x'];   // graph { doc_string: "x" } after the metadata

        var error = Assert.Throws<PolicyLoadException>(() => OnnxPolicy.Load([.. bytes, .. secondGraph], "two-graphs.onnx"));

        Assert.Contains("two-graphs.onnx: the model's structure is not what 'robotics export' writes (the model has 2 graph fields", error.Message);
    }

    [Fact]
    public void The_model_hash_leaves_out_the_metadata_and_covers_everything_else()
    {
        var bytes = File.ReadAllBytes(TestRobot.PolicyModel);
        var hash = OnnxModelHash.Compute(bytes);

        Assert.Equal(hash, OnnxModelHash.Compute(Replace(bytes, "robotics.run", "robotics.rux")));   // metadata only
        Assert.NotEqual(hash, OnnxModelHash.Compute(Replace(bytes, "\u0003obs", "\u0003inp")));        // the graph
        Assert.NotEqual(hash, OnnxModelHash.Compute(Replace(bytes, "\u0012\u0008robotics", "\u0012\u0008roboticz"))); // producer_name
    }

    // Writes the hash of the edited model over the one in its metadata (same length), as an exporter would have.
    private static byte[] Resign(byte[] bytes)
    {
        var result = (byte[])bytes.Clone();
        var key = Encoding.Latin1.GetBytes(PolicyMetadata.ModelHashKey);
        int at = IndexOf(result, PolicyMetadata.ModelHashKey);
        Assert.True(at > 0);
        // StringStringEntryProto: key (field 1), then value (field 2: tag 0x12, length 64, hex).
        int value = at + key.Length + 2;
        Assert.Equal(0x12, result[value - 2]);
        Encoding.Latin1.GetBytes(OnnxModelHash.Compute(result)).CopyTo(result, value);
        return result;
    }

    private static int IndexOf(byte[] bytes, string text) => bytes.AsSpan().IndexOf(Encoding.Latin1.GetBytes(text));

    private static byte[] Replace(byte[] bytes, string from, string to)
    {
        var a = Encoding.Latin1.GetBytes(from);
        var b = Encoding.Latin1.GetBytes(to);
        Assert.Equal(a.Length, b.Length);
        var result = (byte[])bytes.Clone();
        int replaced = 0;
        for (int i = 0; i + a.Length <= result.Length; i++)
        {
            if (result.AsSpan(i, a.Length).SequenceEqual(a))
            {
                b.CopyTo(result, i);
                replaced++;
            }
        }

        Assert.True(replaced > 0, $"'{from}' not found in the model");
        return result;
    }
}
