using System.Buffers.Binary;
using System.Numerics;

namespace Robotics.Training.Monitoring;

/// <summary>
/// TFRecord framing, the container of TensorBoard event files: per record a little-endian uint64 length, the
/// masked CRC32C of those 8 bytes, the payload, and the masked CRC32C of the payload.
/// </summary>
public static class TfRecord
{
    private const int HeaderSize = 12;
    private const int FooterSize = 4;

    public static void Write(Stream stream, ReadOnlySpan<byte> payload)
    {
        Span<byte> header = stackalloc byte[HeaderSize];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], MaskedCrc32C(header[..8]));
        Span<byte> footer = stackalloc byte[FooterSize];
        BinaryPrimitives.WriteUInt32LittleEndian(footer, MaskedCrc32C(payload));
        stream.Write(header);
        stream.Write(payload);
        stream.Write(footer);
    }

    /// <summary>
    /// The payloads of the records in <paramref name="bytes"/>, up to the first record that is cut short or whose
    /// checksums fail: what a crash in the middle of a write leaves behind is dropped, everything before it is kept.
    /// </summary>
    public static List<byte[]> ReadComplete(ReadOnlySpan<byte> bytes)
    {
        var records = new List<byte[]>();
        while (bytes.Length >= HeaderSize + FooterSize)
        {
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
            if (BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]) != MaskedCrc32C(bytes[..8])) break;
            if (length > (ulong)(bytes.Length - HeaderSize - FooterSize)) break;
            var payload = bytes.Slice(HeaderSize, (int)length);
            if (BinaryPrimitives.ReadUInt32LittleEndian(bytes[(HeaderSize + (int)length)..]) != MaskedCrc32C(payload)) break;
            records.Add(payload.ToArray());
            bytes = bytes[(HeaderSize + (int)length + FooterSize)..];
        }

        return records;
    }

    /// <summary>CRC32C (Castagnoli) rotated and offset as TFRecord stores it, so that a CRC of CRCs stays distinct.</summary>
    public static uint MaskedCrc32C(ReadOnlySpan<byte> data)
    {
        uint crc = Crc32C(data);
        return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
    }

    private static uint Crc32C(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (byte b in data) crc = BitOperations.Crc32C(crc, b);
        return ~crc;
    }
}
