using Robotics.FirmwareInterface.Protocol;

namespace Robotics.FirmwareInterface.Tests.Protocol;

public sealed class CobsTests
{
    // The examples of Cheshire and Baker's paper as listed on the COBS Wikipedia page.
    [Theory]
    [InlineData("00", "0101")]
    [InlineData("0000", "010101")]
    [InlineData("00110000", "0102110101")]
    [InlineData("11220033", "0311220233")]
    [InlineData("11223344", "0511223344")]
    [InlineData("11000000", "0211010101")]
    public void Encodes_the_published_examples(string data, string encoded)
    {
        var source = Convert.FromHexString(data);
        var destination = new byte[Cobs.MaxEncodedLength(source.Length)];
        var length = Cobs.Encode(source, destination);
        Assert.Equal(encoded, Convert.ToHexString(destination, 0, length));

        var decoded = new byte[source.Length];
        Assert.Equal(source.Length, Cobs.Decode(destination.AsSpan(0, length), decoded));
        Assert.Equal(source, decoded);
    }

    [Theory]
    [InlineData(1, 254, "ff01", "fdfe")]
    [InlineData(0, 255, "01ff01", "fdfe")]
    [InlineData(1, 255, "ff01", "fe02ff")]
    [InlineData(2, 256, "ff02", "ff010201")]
    public void Full_blocks_of_254_bytes_follow_the_canonical_form(int first, int count, string prefix, string suffix)
    {
        var source = Enumerable.Range(first, count).Select(i => (byte)i).ToArray();
        var destination = new byte[Cobs.MaxEncodedLength(source.Length)];
        var length = Cobs.Encode(source, destination);
        var hex = Convert.ToHexStringLower(destination, 0, length);
        Assert.StartsWith(prefix, hex);
        Assert.EndsWith(suffix, hex);

        var decoded = new byte[source.Length];
        Assert.Equal(source.Length, Cobs.Decode(destination.AsSpan(0, length), decoded));
        Assert.Equal(source, decoded);
    }

    [Fact]
    public void Decode_refuses_a_block_with_a_zero_inside()
    {
        Assert.Equal(-1, Cobs.Decode([0x03, 0x11, 0x00], new byte[8]));
    }

    [Fact]
    public void Decode_refuses_a_code_that_runs_past_the_end()
    {
        Assert.Equal(-1, Cobs.Decode([0x05, 0x11, 0x22], new byte[8]));
    }
}
