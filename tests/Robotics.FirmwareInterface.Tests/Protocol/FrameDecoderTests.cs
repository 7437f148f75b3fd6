using Robotics.FirmwareInterface.Protocol;

namespace Robotics.FirmwareInterface.Tests.Protocol;

public sealed class FrameDecoderTests
{
    private static byte[] HeartbeatFrame(uint sequence)
    {
        var frame = new byte[WireFormat.MaxFrameSize];
        var length = MessageCodec.EncodeFrame(new HeartbeatMessage(sequence, 1000UL * sequence), frame);
        return frame[..length];
    }

    private static List<uint> DecodeSequences(FrameDecoder decoder, ReadOnlySpan<byte> bytes)
    {
        var sequences = new List<uint>();
        while (decoder.TryReadFrame(ref bytes, out var payload))
        {
            Assert.True(MessageCodec.TryDecodePayload(payload, out var message, out var error), error);
            sequences.Add(message!.Sequence);
        }

        return sequences;
    }

    [Fact]
    public void Random_noise_between_frames_still_decodes_every_frame()
    {
        var random = new Random(1234);
        var stream = new List<byte>();
        for (uint sequence = 0; sequence < 200; sequence++)
        {
            var noise = new byte[random.Next(0, 40)];
            random.NextBytes(noise);
            stream.AddRange(noise);
            // Noise may end inside a would-be frame; a delimiter closes it, as a sender does after a line glitch.
            stream.Add(0);
            stream.AddRange(HeartbeatFrame(sequence));
        }

        var decoder = new FrameDecoder();
        var sequences = DecodeSequences(decoder, stream.ToArray());

        Assert.Equal(Enumerable.Range(0, 200).Select(i => (uint)i), sequences);
        Assert.Equal(200, decoder.FramesDecoded);
    }

    [Fact]
    public void One_flipped_bit_is_counted_as_a_bad_checksum_and_the_next_frame_decodes()
    {
        var corrupted = HeartbeatFrame(1);
        corrupted[5] ^= 0x04;
        var decoder = new FrameDecoder();

        var sequences = DecodeSequences(decoder, [.. HeartbeatFrame(0), .. corrupted, .. HeartbeatFrame(2)]);

        Assert.Equal([0u, 2u], sequences);
        Assert.Equal(1, decoder.BadChecksums);
    }

    [Fact]
    public void Frames_split_across_reads_at_every_boundary_decode()
    {
        var stream = new List<byte>();
        for (uint sequence = 0; sequence < 5; sequence++)
            stream.AddRange(HeartbeatFrame(sequence));
        var bytes = stream.ToArray();

        for (var chunk = 1; chunk <= 7; chunk++)
        {
            var decoder = new FrameDecoder();
            var sequences = new List<uint>();
            for (var offset = 0; offset < bytes.Length; offset += chunk)
                sequences.AddRange(DecodeSequences(decoder, bytes.AsSpan(offset, Math.Min(chunk, bytes.Length - offset))));
            Assert.Equal([0u, 1u, 2u, 3u, 4u], sequences);
        }
    }

    [Fact]
    public void An_oversize_frame_is_counted_and_dropped_without_losing_the_next()
    {
        var oversize = Enumerable.Repeat((byte)0x55, WireFormat.MaxFrameSize + 100).Append((byte)0).ToArray();
        var decoder = new FrameDecoder();

        var sequences = DecodeSequences(decoder, [.. oversize, .. HeartbeatFrame(7)]);

        Assert.Equal([7u], sequences);
        Assert.Equal(1, decoder.OversizeFrames);
    }

    [Fact]
    public void A_truncated_frame_is_counted_as_malformed()
    {
        var decoder = new FrameDecoder();

        var sequences = DecodeSequences(decoder, [0x02, 0x11, 0x00, .. HeartbeatFrame(3)]);

        Assert.Equal([3u], sequences);
        Assert.Equal(1, decoder.MalformedFrames);
    }

    [Fact]
    public void A_frame_of_another_protocol_version_is_refused_with_a_reason()
    {
        var payload = new byte[WireFormat.MaxPayloadSize];
        var length = MessageCodec.EncodePayload(new HeartbeatMessage(1, 2), payload);
        payload[0] = 1;

        Assert.False(MessageCodec.TryDecodePayload(payload.AsSpan(0, length), out _, out var error));
        Assert.Contains("protocol version 1", error);
    }

    [Fact]
    public void Random_bytes_never_throw_and_never_pass_as_frames()
    {
        var random = new Random(99);
        var bytes = new byte[200_000];
        random.NextBytes(bytes);
        var decoder = new FrameDecoder();

        ReadOnlySpan<byte> input = bytes;
        var frames = 0;
        while (decoder.TryReadFrame(ref input, out var payload))
        {
            frames++;
            MessageCodec.TryDecodePayload(payload, out _, out _);
        }

        Assert.Equal(0, frames);
        Assert.True(decoder.MalformedFrames + decoder.BadChecksums > 500);

        var payloadBytes = new byte[64];
        for (var i = 0; i < 20_000; i++)
        {
            var length = random.Next(payloadBytes.Length);
            random.NextBytes(payloadBytes.AsSpan(0, length));
            if (length > 0)
                payloadBytes[0] = WireFormat.ProtocolVersion;
            MessageCodec.TryDecodePayload(payloadBytes.AsSpan(0, length), out _, out _);
        }
    }
}
