using System.Reflection;
using Google.Protobuf;
using Robotics.Runtime.Policy;
using Robotics.Training.Export.Onnx;
using Robotics.Training.Policies;

namespace Robotics.Training.Export;

/// <summary>
/// Writes an <see cref="ExportablePolicy"/> as an ONNX model (opset 17) that maps raw observations to
/// commands in robot units, so that a user runs one graph and re-implements nothing:
/// <code>
/// obs -> (obs - mean) / sqrt(var + eps) -> clip(±ObsClip) -> [Gemm -> activation]* -> Gemm
///     -> clip(±1) or tanh -> (double) offset + scale * a -> clamp to the command range -> (float) actions
/// </code>
/// The action map runs in double, as the reference does, so rounding does not grow with large scales.
/// </summary>
public static class PolicyGraphBuilder
{
    public const int Opset = 17;

    // IR version 8 is the one that goes with opset 17.
    private const long IrVersion = 8;

    public static byte[] Build(ExportablePolicy policy, string projectVersion)
    {
        Validate(policy);
        var contract = policy.Contract;
        var graph = new GraphProto { Name = $"{policy.Algorithm}_policy" };
        var g = new OnnxGraphWriter(graph);
        int obsSize = policy.ObservationSize;
        int actSize = policy.ActionSize;

        graph.Input.Add(OnnxGraphWriter.BatchTensor(PolicyMetadata.InputName, obsSize));
        graph.Output.Add(OnnxGraphWriter.BatchTensor(PolicyMetadata.OutputName, actSize));

        // Normalization, computed exactly as the reference does it: float sqrt of (var + eps), then divide.
        var std = new float[obsSize];
        for (int i = 0; i < obsSize; i++) std[i] = MathF.Sqrt(policy.ObsVar[i] + policy.ObsEpsilon);
        var centered = g.Node("Sub", [PolicyMetadata.InputName, g.Constant("obs_mean", policy.ObsMean, obsSize)]);
        var scaled = g.Node("Div", [centered, g.Constant("obs_std", std, obsSize)]);
        var h = g.Node("Clip", [scaled, g.Scalar("obs_clip_min", -policy.ObsClip), g.Scalar("obs_clip_max", policy.ObsClip)], "obs_normalized");

        for (int l = 0; l < policy.Layers.Count; l++)
        {
            var layer = policy.Layers[l];
            var w = g.Constant($"layer{l}_weight", layer.Weight, layer.Out, layer.In);
            var b = g.Constant($"layer{l}_bias", layer.Bias, layer.Out);
            h = g.Node("Gemm", [h, w, b], $"layer{l}", OnnxGraphWriter.Int("transB", 1));
            if (l < policy.Layers.Count - 1) h = Activation(g, policy.Activation, h, l);
        }

        var a = policy.Squash == "tanh"
            ? g.Node("Tanh", [h], "action_normalized")
            : g.Node("Clip", [h, g.Scalar("action_clip_min", -1f), g.Scalar("action_clip_max", 1f)], "action_normalized");

        var offset = contract.ActionOffset.ToArray();
        var scale = contract.ActionScale.ToArray();
        var low = contract.Robot.Actuators.Select(x => x.CommandMin).ToArray();
        var high = contract.Robot.Actuators.Select(x => x.CommandMax).ToArray();
        var a64 = g.Node("Cast", [a], null, OnnxGraphWriter.Int("to", (long)TensorProto.Types.DataType.Double));
        var command = g.Node("Add", [g.Node("Mul", [a64, g.Constant("action_scale", scale, actSize)]), g.Constant("action_offset", offset, actSize)]);
        command = g.Node("Min", [g.Node("Max", [command, g.Constant("command_min", low, actSize)]), g.Constant("command_max", high, actSize)]);
        g.Node("Cast", [command], PolicyMetadata.OutputName, OnnxGraphWriter.Int("to", (long)TensorProto.Types.DataType.Float));

        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "robotics",
            ProducerVersion = projectVersion,
            Domain = "org.robotics",
            ModelVersion = 1,
            DocString = $"{policy.Algorithm} policy for robot '{contract.Robot.Robot}', task '{contract.Task}', run '{policy.RunName}', step {policy.Step}. "
                + "Input 'obs': raw observations [batch, obs_dim]; output 'actions': commands in the robot's units [batch, act_dim].",
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        // The model hash leaves the metadata out, so it is computed before the metadata goes in.
        var modelHash = OnnxModelHash.Compute(model.ToByteArray());
        var metadata = new PolicyMetadata(contract, policy.Algorithm, policy.RunName, policy.Step, projectVersion);
        foreach (var (key, value) in metadata.ToProperties(modelHash))
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return model.ToByteArray();
    }

    /// <summary>The version of this program, as written into the model.</summary>
    public static string ProjectVersion =>
        typeof(PolicyGraphBuilder).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";

    private static string Activation(OnnxGraphWriter g, string activation, string h, int layer) => activation switch
    {
        "tanh" => g.Node("Tanh", [h], $"layer{layer}_tanh"),
        "relu" => g.Node("Relu", [h], $"layer{layer}_relu"),
        "elu" => g.Node("Elu", [h], $"layer{layer}_elu", OnnxGraphWriter.Float("alpha", 1f)),
        _ => throw new InvalidDataException($"activation '{activation}' cannot be exported: expected tanh, relu or elu"),
    };

    private static void Validate(ExportablePolicy policy)
    {
        var contract = policy.Contract;
        if (policy.Layers.Count == 0) throw new InvalidDataException("the policy has no layers");
        if (policy.ObsVar.Length != policy.ObservationSize)
            throw new InvalidDataException($"observation variance has {policy.ObsVar.Length} entries, the mean {policy.ObservationSize}");
        if (policy.ObservationSize != contract.ObservationSize)
            throw new InvalidDataException($"the normalizer has {policy.ObservationSize} observations but the policy contract's layout has {contract.ObservationSize}");
        if (policy.ActionSize != contract.ActionSize)
            throw new InvalidDataException($"the network outputs {policy.ActionSize} actions but the robot has {contract.ActionSize} actuators");
        if (contract.ActionOffset.Count != contract.ActionSize || contract.ActionScale.Count != contract.ActionSize)
            throw new InvalidDataException($"the contract's action offset/scale have {contract.ActionOffset.Count}/{contract.ActionScale.Count} entries for {contract.ActionSize} actuators");
        if (policy.Squash is not ("clip" or "tanh"))
            throw new InvalidDataException($"squash '{policy.Squash}' cannot be exported: expected clip or tanh");
        int width = policy.ObservationSize;
        for (int l = 0; l < policy.Layers.Count; l++)
        {
            var layer = policy.Layers[l];
            if (layer.In != width)
                throw new InvalidDataException($"layer {l} takes {layer.In} inputs but receives {width}");
            if (layer.Weight.Length != layer.In * layer.Out || layer.Bias.Length != layer.Out)
                throw new InvalidDataException($"layer {l} ({layer.In}x{layer.Out}) has {layer.Weight.Length} weights and {layer.Bias.Length} biases");
            width = layer.Out;
        }
    }
}
