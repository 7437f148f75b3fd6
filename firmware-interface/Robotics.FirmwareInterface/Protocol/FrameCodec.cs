using System.Buffers.Binary;
using System.IO.Hashing;

namespace Robotics.FirmwareInterface.Protocol;

/// <summary>Result of checking one delimited block of bytes.</summary>
public enum FrameStatus
{
    Ok,

    /// <summary>Not valid COBS, or shorter than a header and a CRC.</summary>
    Malformed,

    /// <summary>The CRC does not match: a corrupted frame.</summary>
    BadChecksum,

    /// <summary>Longer than <see cref="WireFormat.MaxFrameSize"/>.</summary>
    Oversize,
}

/// <summary>
/// One frame on the wire: COBS(payload ‖ CRC-32/ISO-HDLC(payload) little-endian) followed by a zero byte.
/// </summary>
public static class FrameCodec
{
    /// <summary>Encodes a payload into a complete frame including the delimiter; returns the frame length.</summary>
    public static int Encode(ReadOnlySpan<byte> payload, Span<byte> frame)
    {
        if (payload.Length > WireFormat.MaxPayloadSize)
            throw new ArgumentException($"payload of {payload.Length} bytes exceeds the protocol's {WireFormat.MaxPayloadSize}", nameof(payload));

        Span<byte> checkedPayload = stackalloc byte[WireFormat.MaxPayloadSize + WireFormat.CrcSize];
        payload.CopyTo(checkedPayload);
        BinaryPrimitives.WriteUInt32LittleEndian(checkedPayload[payload.Length..], Crc32.HashToUInt32(payload));
        var length = Cobs.Encode(checkedPayload[..(payload.Length + WireFormat.CrcSize)], frame);
        frame[length] = WireFormat.Delimiter;
        return length + 1;
    }

    /// <summary>
    /// Decodes one block read up to (not including) its delimiter. On <see cref="FrameStatus.Ok"/>,
    /// <paramref name="payloadLength"/> bytes of <paramref name="payload"/> hold header and body.
    /// <paramref name="payload"/> needs <see cref="WireFormat.MaxPayloadSize"/> + <see cref="WireFormat.CrcSize"/> bytes.
    /// </summary>
    public static FrameStatus Decode(ReadOnlySpan<byte> block, Span<byte> payload, out int payloadLength)
    {
        payloadLength = 0;
        if (block.Length > WireFormat.MaxFrameSize - 1)
            return FrameStatus.Oversize;
        var decoded = Cobs.Decode(block, payload);
        if (decoded < WireFormat.HeaderSize + WireFormat.CrcSize)
            return FrameStatus.Malformed;

        var bodyEnd = decoded - WireFormat.CrcSize;
        var expected = BinaryPrimitives.ReadUInt32LittleEndian(payload[bodyEnd..decoded]);
        if (Crc32.HashToUInt32(payload[..bodyEnd]) != expected)
            return FrameStatus.BadChecksum;
        payloadLength = bodyEnd;
        return FrameStatus.Ok;
    }
}
