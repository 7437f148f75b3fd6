using System.Runtime.InteropServices;

namespace Robotics.SimBridge.Protocol;

/// <summary>float32 arrays as raw little-endian bytes, the wire form of every float array.</summary>
public static class FloatBytes
{
    static FloatBytes()
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("the sim-bridge wire format is little-endian; this machine is big-endian");
        }
    }

    public static byte[] ToBytes(ReadOnlySpan<float> values) => MemoryMarshal.AsBytes(values).ToArray();

    public static float[] ToFloats(ReadOnlySpan<byte> bytes)
    {
        var values = new float[bytes.Length / sizeof(float)];
        bytes[..(values.Length * sizeof(float))].CopyTo(MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    /// <summary>Writes a bin field straight from the floats' memory.</summary>
    public static void WriteBin(ref MessagePack.MessagePackWriter writer, ReadOnlySpan<float> values) =>
        writer.Write(MemoryMarshal.AsBytes(values));

    /// <summary>Copies a bin field into floats; the lengths must match.</summary>
    public static void CopyTo(ReadOnlySpan<byte> bytes, Span<float> destination) =>
        bytes.CopyTo(MemoryMarshal.AsBytes(destination));

    /// <summary>Views bytes as floats without copying (x64 and arm64 read unaligned floats).</summary>
    public static ReadOnlySpan<float> View(ReadOnlySpan<byte> bytes) => MemoryMarshal.Cast<byte, float>(bytes);
}
