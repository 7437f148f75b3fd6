using CsCheck;
using Robotics.FirmwareInterface.Protocol;
using Robotics.Testing;

namespace Robotics.FirmwareInterface.Tests.Fuzz;

/// <summary>
/// Random and damaged byte streams through the serial frame decoder and the message decoder, with a fixed seed and a
/// bounded count: nothing throws, nothing oversize comes out, and a good frame after any noise is still read intact.
/// </summary>
public sealed class SerialDecodingFuzzTests
{
    private const int Inputs = 3000;

    [Fact]
    public void Random_streams_in_random_chunks_never_throw_and_never_yield_an_oversize_payload()
    {
        var streams = Gen.Select(Gen.Byte.Array[0, 3000], Gen.Int[1, 64]);

        FuzzInputs.Each(streams, Inputs, (bytes, chunk) =>
        {
            var decoder = new FrameDecoder();
            long frames = 0;
            for (int offset = 0; offset < bytes.Length; offset += chunk)
            {
                ReadOnlySpan<byte> input = bytes.AsSpan(offset, Math.Min(chunk, bytes.Length - offset));
                while (decoder.TryReadFrame(ref input, out var payload))
                {
                    frames++;
                    Assert.True(payload.Length <= WireFormat.MaxPayloadSize, $"a payload of {payload.Length} bytes came out");
                    MessageCodec.TryDecodePayload(payload, out _, out _);
                }
            }

            Assert.Equal(frames, decoder.FramesDecoded);
        });
    }

    [Fact]
    public void A_good_frame_after_any_noise_and_a_delimiter_is_read_intact()
    {
        var cases = Gen.Select(Gen.Byte.Array[0, 2500], Gen.Byte.Array[WireFormat.HeaderSize, WireFormat.MaxPayloadSize]);

        FuzzInputs.Each(cases, Inputs, (noise, payload) =>
        {
            var frame = new byte[WireFormat.MaxFrameSize + 1];
            int length = FrameCodec.Encode(payload, frame);
            var stream = noise.Concat(new byte[] { WireFormat.Delimiter }).Concat(frame[..length]).ToArray();
            var decoder = new FrameDecoder();
            ReadOnlySpan<byte> input = stream;
            byte[]? last = null;
            while (decoder.TryReadFrame(ref input, out var decoded))
            {
                last = decoded.ToArray();
            }

            Assert.Equal(payload, last);
        });
    }

    [Fact]
    public void Random_payloads_decode_to_a_message_or_an_error_never_an_exception()
    {
        FuzzInputs.Each(Gen.Byte.Array[0, 200], Inputs * 3, payload =>
        {
            bool decoded = MessageCodec.TryDecodePayload(payload, out var message, out var error);
            Assert.True(decoded ? message is not null : !string.IsNullOrEmpty(error));
        });
    }
}
