namespace Robotics.FirmwareInterface.Protocol;

/// <summary>The first <see cref="WireFormat.HeaderSize"/> bytes of every payload.</summary>
public readonly record struct SerialFrameHeader(byte Version, SerialMessageType Type, uint Sequence)
{
    public static bool TryRead(ReadOnlySpan<byte> payload, out SerialFrameHeader header)
    {
        var reader = new PayloadReader(payload);
        header = new SerialFrameHeader(reader.U8(), (SerialMessageType)reader.U8(), reader.U32());
        return reader.Ok;
    }

    /// <summary>The bytes after the header.</summary>
    public static ReadOnlySpan<byte> Body(ReadOnlySpan<byte> payload) => payload[WireFormat.HeaderSize..];
}
