namespace Robotics.SimBridge.Security;

/// <summary>
/// ZeroMQ's Z85 text encoding (rfc.zeromq.org/spec/32): 4 bytes become 5 printable characters. CURVE keys are written
/// this way (32 bytes, 40 characters) by every ZeroMQ binding, so key files work with pyzmq and libzmq as they are.
/// </summary>
public static class Z85
{
    private const string Alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";
    private static readonly sbyte[] Values = BuildValues();

    /// <summary>Encodes <paramref name="data"/>, whose length must be a multiple of 4.</summary>
    public static string Encode(ReadOnlySpan<byte> data)
    {
        if (data.Length % 4 != 0)
        {
            throw new ArgumentException($"Z85 encodes whole 4-byte groups; got {data.Length} bytes", nameof(data));
        }

        var text = new char[data.Length / 4 * 5];
        for (int group = 0; group < data.Length / 4; group++)
        {
            uint value = (uint)data[group * 4] << 24 | (uint)data[group * 4 + 1] << 16 | (uint)data[group * 4 + 2] << 8 | data[group * 4 + 3];
            for (int i = 4; i >= 0; i--)
            {
                text[group * 5 + i] = Alphabet[(int)(value % 85)];
                value /= 85;
            }
        }

        return new string(text);
    }

    /// <summary>Decodes Z85 text; false when its length is not a multiple of 5, a character is outside the alphabet, or a group overflows 32 bits.</summary>
    public static bool TryDecode(string text, out byte[] data)
    {
        data = [];
        if (text.Length % 5 != 0)
        {
            return false;
        }

        var decoded = new byte[text.Length / 5 * 4];
        for (int group = 0; group < text.Length / 5; group++)
        {
            ulong value = 0;
            for (int i = 0; i < 5; i++)
            {
                char c = text[group * 5 + i];
                int digit = c < Values.Length ? Values[c] : -1;
                if (digit < 0)
                {
                    return false;
                }

                value = value * 85 + (ulong)digit;
            }

            if (value > uint.MaxValue)
            {
                return false;
            }

            decoded[group * 4] = (byte)(value >> 24);
            decoded[group * 4 + 1] = (byte)(value >> 16);
            decoded[group * 4 + 2] = (byte)(value >> 8);
            decoded[group * 4 + 3] = (byte)value;
        }

        data = decoded;
        return true;
    }

    private static sbyte[] BuildValues()
    {
        var values = new sbyte[128];
        Array.Fill(values, (sbyte)-1);
        for (int i = 0; i < Alphabet.Length; i++)
        {
            values[Alphabet[i]] = (sbyte)i;
        }

        return values;
    }
}
