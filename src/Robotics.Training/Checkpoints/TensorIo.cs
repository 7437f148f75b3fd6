using Robotics.Training.Normalization;
using TorchSharp;
using static TorchSharp.torch;

namespace Robotics.Training.Checkpoints;

/// <summary>Module parameters as (name, shape, float32 values) records, so a checkpoint names what it holds.</summary>
public static class TensorIo
{
    public static void WriteParameters(BinaryWriter writer, nn.Module module)
    {
        using var noGrad = torch.no_grad();
        var parameters = module.named_parameters().ToList();
        writer.Write(parameters.Count);
        foreach (var (name, p) in parameters)
        {
            writer.Write(name);
            writer.Write(p.shape.Length);
            foreach (var d in p.shape) writer.Write(d);
            float[] values;
            // A scope roots the chain's temporaries: one left to the finalizer can be freed while a native call still reads it.
            using (torch.NewDisposeScope())
                values = p.detach().cpu().contiguous().data<float>().ToArray();
            writer.Write(values.Length);
            foreach (var v in values) writer.Write(v);
        }
    }

    public static void ReadParameters(BinaryReader reader, nn.Module module)
    {
        using var noGrad = torch.no_grad();
        var parameters = module.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        int count = reader.ReadInt32();
        if (count != parameters.Count)
            throw new InvalidDataException($"checkpoint holds {count} parameter tensors; the network built from its config has {parameters.Count}");
        for (int i = 0; i < count; i++)
        {
            string name = reader.ReadString();
            var shape = new long[reader.ReadInt32()];
            for (int d = 0; d < shape.Length; d++) shape[d] = reader.ReadInt64();
            var values = new float[reader.ReadInt32()];
            for (int k = 0; k < values.Length; k++) values[k] = reader.ReadSingle();
            if (!parameters.TryGetValue(name, out var p))
                throw new InvalidDataException($"checkpoint parameter '{name}' does not exist in the network");
            if (!p.shape.SequenceEqual(shape))
                throw new InvalidDataException($"checkpoint parameter '{name}' has shape [{string.Join(", ", shape)}], the network [{string.Join(", ", p.shape)}]");
            using var source = torch.tensor(values, shape);
            p.copy_(source);
        }
    }
}

/// <summary>Running statistics in a checkpoint.</summary>
public static class NormalizerIo
{
    public static void Write(BinaryWriter writer, RunningMeanStd stats)
    {
        writer.Write(stats.Size);
        foreach (var m in stats.Mean) writer.Write(m);
        foreach (var v in stats.Var) writer.Write(v);
        writer.Write(stats.Count);
    }

    public static void Read(BinaryReader reader, RunningMeanStd stats)
    {
        int size = reader.ReadInt32();
        var mean = new double[size];
        var var = new double[size];
        for (int i = 0; i < size; i++) mean[i] = reader.ReadDouble();
        for (int i = 0; i < size; i++) var[i] = reader.ReadDouble();
        stats.Restore(mean, var, reader.ReadDouble());
    }
}
