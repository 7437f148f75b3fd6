namespace Robotics.FirmwareInterface.Protocol;

/// <summary>The first <see cref="WireFormat.HeaderSize"/> bytes of every payload.</summary>
public readonly record struct FrameHeader(byte Version, MessageType Type, uint Sequence)
{
    public static bool TryRead(ReadOnlySpan<byte> payload, out FrameHeader header)
    {
        var reader = new PayloadReader(payload);
        header = new FrameHeader(reader.U8(), (MessageType)reader.U8(), reader.U32());
        return reader.Ok;
    }

    /// <summary>The bytes after the header.</summary>
    public static ReadOnlySpan<byte> Body(ReadOnlySpan<byte> payload) => payload[WireFormat.HeaderSize..];
}
