namespace Robotics.Runtime.Policy;

/// <summary>
/// The hash that proves an exported model's graph and weights are the ones the exporter wrote: SHA-256 over every
/// top-level field of the ONNX <c>ModelProto</c> except its <c>metadata_props</c> (field 14), in file order, as raw
/// protobuf bytes. That covers the graph with its initializers (the weights), the opset imports, the IR version and
/// the producer fields; the metadata is left out because the hash travels in it. The exporter and the runtime both
/// compute it here, on the bytes of the file, so no protobuf library is needed on the robot.
/// </summary>
/// <remarks>
/// A protobuf parser merges a repeated singular message field, so a second <c>graph</c> field appended to a signed
/// model would change what ONNX Runtime runs; such a file is refused rather than hashed. So is anything that is not a
/// well-formed sequence of fields (groups, truncated lengths).
/// </remarks>
public static class OnnxModelHash
{
    private const int GraphField = 7;
    private const int MetadataPropsField = 14;

    /// <summary>The hash as lower-case hex (64 characters).</summary>
    /// <exception cref="InvalidDataException">The bytes are not a sequence of protobuf fields with exactly one graph.</exception>
    public static string Compute(ReadOnlySpan<byte> model)
    {
        var covered = new byte[model.Length];
        int length = 0, graphs = 0, position = 0;
        while (position < model.Length)
        {
            int start = position;
            ulong key = ReadVarint(model, ref position);
            int field = checked((int)(key >> 3));
            switch ((int)(key & 7))
            {
                case 0: ReadVarint(model, ref position); break;
                case 1: Skip(model, ref position, 8); break;
                case 2: Skip(model, ref position, ReadVarint(model, ref position)); break;
                case 5: Skip(model, ref position, 4); break;
                default: throw new InvalidDataException($"field {field} at byte {start} has wire type {key & 7}, which an ONNX model does not use");
            }

            if (field == GraphField) graphs++;
            if (field == MetadataPropsField) continue;
            model[start..position].CopyTo(covered.AsSpan(length));
            length += position - start;
        }

        if (graphs != 1)
            throw new InvalidDataException($"the model has {graphs} graph fields; an exported model has exactly one");
        return Convert.ToHexStringLower(Robotics.Contract.Sha256.HashData(covered.AsSpan(0, length)));
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> bytes, ref int position)
    {
        ulong value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (position >= bytes.Length) throw new InvalidDataException("the model ends inside a field");
            byte b = bytes[position++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80) return value;
        }

        throw new InvalidDataException($"a varint at byte {position} is longer than 10 bytes");
    }

    private static void Skip(ReadOnlySpan<byte> bytes, ref int position, ulong count)
    {
        if (count > (ulong)(bytes.Length - position)) throw new InvalidDataException("the model ends inside a field");
        position += (int)count;
    }
}
