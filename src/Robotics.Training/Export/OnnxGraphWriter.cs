using Google.Protobuf;
using Robotics.Training.Export.Onnx;

namespace Robotics.Training.Export;

/// <summary>Small helpers that add nodes and constant tensors to an ONNX graph under unique names.</summary>
internal sealed class OnnxGraphWriter(GraphProto graph)
{
    private int counter;

    public GraphProto Graph { get; } = graph;

    public string Constant(string name, float[] values, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);
        tensor.RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
        Graph.Initializer.Add(tensor);
        return name;
    }

    public string Constant(string name, double[] values, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Double };
        tensor.Dims.AddRange(dims);
        tensor.RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
        Graph.Initializer.Add(tensor);
        return name;
    }

    public string Scalar(string name, float value) => Constant(name, [value]);

    /// <summary>Adds a node with one output and returns that output's name (or <paramref name="output"/> when given).</summary>
    public string Node(string opType, string[] inputs, string? output = null, params AttributeProto[] attributes)
    {
        var name = $"{opType.ToLowerInvariant()}_{counter++}";
        var node = new NodeProto { OpType = opType, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(output ?? name);
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return output ?? name;
    }

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    /// <summary>A float32 tensor [batch, size] whose first dimension is dynamic.</summary>
    public static ValueInfoProto BatchTensor(string name, int size, TensorProto.Types.DataType type = TensorProto.Types.DataType.Float)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = size });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }
}
