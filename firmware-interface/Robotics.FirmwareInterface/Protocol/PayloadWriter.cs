using System.Buffers.Binary;

namespace Robotics.FirmwareInterface.Protocol;

/// <summary>Writes little-endian fields into a payload buffer, front to back.</summary>
public ref struct PayloadWriter(Span<byte> buffer)
{
    private readonly Span<byte> buffer = buffer;

    public int Length { get; private set; }

    public void Header(SerialMessageType type, uint sequence)
    {
        U8(WireFormat.ProtocolVersion);
        U8((byte)type);
        U32(sequence);
    }

    public void U8(byte value) => buffer[Length++] = value;

    public void U16(ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(buffer[Length..], value);
        Length += 2;
    }

    public void U32(uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[Length..], value);
        Length += 4;
    }

    public void U64(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(buffer[Length..], value);
        Length += 8;
    }

    public void F32(float value)
    {
        BinaryPrimitives.WriteSingleLittleEndian(buffer[Length..], value);
        Length += 4;
    }

    public void F32(double value) => F32((float)value);

    public void Bytes(scoped ReadOnlySpan<byte> value)
    {
        value.CopyTo(buffer[Length..]);
        Length += value.Length;
    }
}
