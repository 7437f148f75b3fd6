namespace Robotics.FirmwareInterface.Protocol;

/// <summary>
/// Consistent Overhead Byte Stuffing (Cheshire and Baker, 1999): removes every zero from a block so
/// that a single zero can delimit frames, at a cost of at most one byte per 254.
/// </summary>
public static class Cobs
{
    /// <summary>Encoded size of <paramref name="length"/> bytes in the worst case, without the delimiter.</summary>
    public static int MaxEncodedLength(int length) => length + (length + 253) / 254 + (length == 0 ? 1 : 0);

    /// <summary>Encodes <paramref name="source"/> into <paramref name="destination"/> (no delimiter); returns the encoded length.</summary>
    public static int Encode(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (destination.Length < MaxEncodedLength(source.Length))
            throw new ArgumentException($"COBS needs {MaxEncodedLength(source.Length)} bytes for {source.Length}, got {destination.Length}", nameof(destination));

        var codeIndex = 0;
        var write = 1;
        byte code = 1;
        for (var i = 0; i < source.Length; i++)
        {
            var value = source[i];
            if (value != 0)
            {
                destination[write++] = value;
                code++;
            }

            if (value == 0 || code == 0xFF)
            {
                destination[codeIndex] = code;
                code = 1;
                // A full block that ends the input needs no trailing code byte.
                if (value != 0 && i == source.Length - 1)
                    return write;
                codeIndex = write++;
            }
        }

        destination[codeIndex] = code;
        return write;
    }

    /// <summary>Decodes one block (without its delimiter); returns the decoded length, or -1 when it is not valid COBS or does not fit.</summary>
    public static int Decode(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        var read = 0;
        var write = 0;
        while (read < source.Length)
        {
            int code = source[read++];
            if (code == 0)
                return -1;
            var end = read + code - 1;
            if (end > source.Length || write + (code - 1) > destination.Length || source[read..end].Contains((byte)0))
                return -1;
            source[read..end].CopyTo(destination[write..]);
            write += code - 1;
            read = end;
            if (code != 0xFF && read < source.Length)
            {
                if (write >= destination.Length)
                    return -1;
                destination[write++] = 0;
            }
        }

        return write;
    }
}
