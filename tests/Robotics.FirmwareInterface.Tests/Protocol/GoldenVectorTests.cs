using Robotics.FirmwareInterface.Protocol;

namespace Robotics.FirmwareInterface.Tests.Protocol;

public sealed class GoldenVectorTests
{
    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var vector in GoldenVector.Load())
            data.Add(vector.Name);
        return data;
    }

    private static GoldenVector Vector(string name) => GoldenVector.Load().Single(v => v.Name == name);

    [Fact]
    public void File_covers_every_message_type()
    {
        var types = GoldenVector.Load().Select(v => v.ToMessage().Type).ToHashSet();
        Assert.Equal(Enum.GetValues<SerialMessageType>().ToHashSet(), types);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Encoding_the_description_gives_exactly_the_golden_bytes(string name)
    {
        var vector = Vector(name);
        var frame = new byte[WireFormat.MaxFrameSize];
        var length = MessageCodec.EncodeFrame(vector.ToMessage(), frame);
        Assert.Equal(Convert.ToHexStringLower(vector.Frame), Convert.ToHexStringLower(frame.AsSpan(0, length)));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Decoding_the_golden_bytes_gives_the_description(string name)
    {
        var vector = Vector(name);
        var decoder = new FrameDecoder();
        ReadOnlySpan<byte> input = vector.Frame;
        Assert.True(decoder.TryReadFrame(ref input, out var payload));
        Assert.True(MessageCodec.TryDecodePayload(payload, out var message, out var error), error);
        Assert.Equal(GoldenVector.Describe(vector.ToMessage()), GoldenVector.Describe(message!));
        Assert.True(input.IsEmpty);
    }

    [Fact]
    public void Long_vector_exercises_a_full_cobs_block()
    {
        var frame = Vector("state_24_joints_long_nonzero_run").Frame;
        var (block, _) = FirstCobsBlock(frame);
        Assert.Equal(0xFF, block);
    }

    // The first code byte whose block is 254 data bytes long, found by walking the COBS codes.
    private static (int Code, int Index) FirstCobsBlock(byte[] frame)
    {
        var index = 0;
        while (frame[index] != 0)
        {
            if (frame[index] == 0xFF)
                return (0xFF, index);
            index += frame[index];
        }

        return (0, -1);
    }
}
