using System.Buffers.Binary;

namespace Robotics.FirmwareInterface.Protocol;

/// <summary>Reads little-endian fields from a payload front to back; <see cref="Ok"/> turns false when a read runs past the end.</summary>
public ref struct PayloadReader(ReadOnlySpan<byte> payload)
{
    private readonly ReadOnlySpan<byte> payload = payload;
    private int position;

    public bool Ok { get; private set; } = true;

    public readonly int Remaining => payload.Length - position;

    public byte U8() => Take(1) ? payload[position - 1] : (byte)0;

    public ushort U16() => Take(2) ? BinaryPrimitives.ReadUInt16LittleEndian(payload[(position - 2)..]) : (ushort)0;

    public uint U32() => Take(4) ? BinaryPrimitives.ReadUInt32LittleEndian(payload[(position - 4)..]) : 0;

    public ulong U64() => Take(8) ? BinaryPrimitives.ReadUInt64LittleEndian(payload[(position - 8)..]) : 0;

    public float F32() => Take(4) ? BinaryPrimitives.ReadSingleLittleEndian(payload[(position - 4)..]) : 0f;

    public ReadOnlySpan<byte> Bytes(int count) => Take(count) ? payload.Slice(position - count, count) : default;

    private bool Take(int count)
    {
        if (!Ok || count > Remaining)
        {
            Ok = false;
            return false;
        }

        position += count;
        return true;
    }
}
