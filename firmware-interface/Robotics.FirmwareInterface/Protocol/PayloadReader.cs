using System.Buffers.Binary;

namespace Robotics.FirmwareInterface.Protocol;

/// <summary>Reads little-endian fields from a payload front to back; <see cref="Ok"/> turns false when a read runs past the end.</summary>
public ref struct PayloadReader(ReadOnlySpan<byte> payload)
{
    private readonly ReadOnlySpan<byte> _payload = payload;
    private int _position;

    public bool Ok { get; private set; } = true;

    public readonly int Remaining => _payload.Length - _position;

    public byte U8() => Take(1) ? _payload[_position - 1] : (byte)0;

    public ushort U16() => Take(2) ? BinaryPrimitives.ReadUInt16LittleEndian(_payload[(_position - 2)..]) : (ushort)0;

    public uint U32() => Take(4) ? BinaryPrimitives.ReadUInt32LittleEndian(_payload[(_position - 4)..]) : 0;

    public ulong U64() => Take(8) ? BinaryPrimitives.ReadUInt64LittleEndian(_payload[(_position - 8)..]) : 0;

    public float F32() => Take(4) ? BinaryPrimitives.ReadSingleLittleEndian(_payload[(_position - 4)..]) : 0f;

    public ReadOnlySpan<byte> Bytes(int count) => Take(count) ? _payload.Slice(_position - count, count) : default;

    private bool Take(int count)
    {
        if (!Ok || count > Remaining)
        {
            Ok = false;
            return false;
        }

        _position += count;
        return true;
    }
}
