using System.Buffers;
using MessagePack;

namespace Robotics.SimBridge.Protocol;

/// <summary>A reusable buffer that holds one outgoing frame: the header, then the MessagePack body.</summary>
public sealed class FrameBuffer
{
    private readonly ArrayBufferWriter<byte> buffer = new(4096);

    public ReadOnlySpan<byte> Written => buffer.WrittenSpan;

    /// <summary>Clears the buffer, writes the header and returns a writer for the body; call Flush on it when done.</summary>
    public MessagePackWriter Begin(BridgeMessageType type, uint requestId)
    {
        buffer.ResetWrittenCount();
        new BridgeFrameHeader(type, requestId).WriteTo(buffer.GetSpan(BridgeFrameHeader.Size));
        buffer.Advance(BridgeFrameHeader.Size);
        return new MessagePackWriter(buffer);
    }

    /// <summary>Writes a whole frame whose body is a MessagePack record.</summary>
    public ReadOnlySpan<byte> Write<T>(BridgeMessageType type, uint requestId, T body)
    {
        var writer = Begin(type, requestId);
        MessagePackSerializer.Serialize(ref writer, body, BridgeProtocol.Options);
        writer.Flush();
        return Written;
    }
}
