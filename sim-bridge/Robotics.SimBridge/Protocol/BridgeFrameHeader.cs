using System.Buffers.Binary;

namespace Robotics.SimBridge.Protocol;

/// <summary>
/// The 8 bytes in front of every MessagePack body: type (u8), three reserved zero bytes, request id (u32, little-endian).
/// A reply repeats its request's id, so a client can drop late replies to requests it gave up on.
/// </summary>
public readonly record struct BridgeFrameHeader(BridgeMessageType Type, uint RequestId)
{
    public const int Size = 8;

    public void WriteTo(Span<byte> destination)
    {
        destination[0] = (byte)Type;
        destination[1] = 0;
        destination[2] = 0;
        destination[3] = 0;
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], RequestId);
    }

    /// <summary>
    /// The request id of a frame long enough to carry one, whatever else is wrong with it; null for a frame shorter
    /// than the header. The bridge echoes it in every reply it can, so that a client can match even an error.
    /// </summary>
    public static uint? RequestIdOf(ReadOnlySpan<byte> frame) =>
        frame.Length < Size ? null : BinaryPrimitives.ReadUInt32LittleEndian(frame[4..]);

    /// <summary>Reads a header; false (with the reason) when the frame is too short or a reserved byte is set.</summary>
    public static bool TryRead(ReadOnlySpan<byte> frame, out BridgeFrameHeader header, out string problem)
    {
        header = default;
        if (frame.Length < Size)
        {
            problem = $"frame of {frame.Length} bytes is shorter than the {Size}-byte header";
            return false;
        }

        if (frame[1] != 0 || frame[2] != 0 || frame[3] != 0)
        {
            problem = "header bytes 1..3 are reserved and must be zero";
            return false;
        }

        header = new BridgeFrameHeader((BridgeMessageType)frame[0], BinaryPrimitives.ReadUInt32LittleEndian(frame[4..]));
        problem = "";
        return true;
    }
}
