using Robotics.FirmwareInterface.Protocol;
using Robotics.FirmwareInterface.Transport;

namespace Robotics.RobotEmulator.Tests;

public sealed class FaultInjectingSinkTests
{
    private sealed class RecordingChannel : IByteChannel
    {
        public List<byte[]> Writes { get; } = [];

        public int Read(Span<byte> buffer, int timeoutMilliseconds) => 0;

        public int Write(ReadOnlySpan<byte> data)
        {
            Writes.Add(data.ToArray());
            return data.Length;
        }

        public void Dispose()
        {
        }
    }

    private static byte[] Frame(uint sequence)
    {
        var frame = new byte[WireFormat.MaxFrameSize];
        return frame[..MessageCodec.EncodeFrame(new HeartbeatMessage(sequence, 7), frame)];
    }

    [Fact]
    public void Drop_rate_one_sends_nothing()
    {
        var channel = new RecordingChannel();
        var sink = new FaultInjectingSink(new FaultInjectionOptions { DropRate = 1 }, seed: 1) { Channel = channel };

        for (uint i = 0; i < 10; i++)
            sink.Send(Frame(i));

        Assert.Empty(channel.Writes);
        Assert.Equal(10, sink.FramesDropped);
    }

    [Fact]
    public void Corrupted_frames_keep_their_delimiter_and_fail_the_checksum()
    {
        var channel = new RecordingChannel();
        var sink = new FaultInjectingSink(new FaultInjectionOptions { CorruptRate = 1 }, seed: 2) { Channel = channel };
        for (uint i = 0; i < 50; i++)
            sink.Send(Frame(i));

        var decoder = new FrameDecoder();
        ReadOnlySpan<byte> stream = channel.Writes.SelectMany(w => w).ToArray();
        while (decoder.TryReadFrame(ref stream, out _))
            Assert.Fail("a corrupted frame passed");

        Assert.All(channel.Writes, w => Assert.Equal(0, w[^1]));
        Assert.Equal(50, decoder.BadChecksums + decoder.MalformedFrames);
    }

    [Fact]
    public void Delayed_frames_are_held_until_flushed_when_due()
    {
        var channel = new RecordingChannel();
        var sink = new FaultInjectingSink(new FaultInjectionOptions { DelayRate = 1, Delay = TimeSpan.Zero }, seed: 3) { Channel = channel };

        sink.Send(Frame(1));
        Assert.Empty(channel.Writes);
        sink.Flush();

        Assert.Equal(Frame(1), Assert.Single(channel.Writes));
    }

    [Fact]
    public void Rates_outside_zero_to_one_are_refused_with_the_reason()
    {
        var error = Assert.Throws<ArgumentException>(() => new FaultInjectionOptions { CorruptRate = 1.5 }.Validate());
        Assert.Contains("corrupt rate 1.5 is not a probability", error.Message);
    }
}
