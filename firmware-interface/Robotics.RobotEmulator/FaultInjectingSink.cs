using Robotics.FirmwareInterface.Firmware;
using Robotics.FirmwareInterface.Transport;

namespace Robotics.RobotEmulator;

/// <summary>Sends the robot's frames to a byte channel, dropping, corrupting and delaying some of them at the configured rates.</summary>
public sealed class FaultInjectingSink(FaultInjectionOptions faults, int seed) : IFrameSink
{
    private readonly Random random = new(seed);
    private readonly Queue<(long DueTicks, byte[] Frame)> delayed = new();

    /// <summary>Where frames go; null while the device is disconnected (frames are lost).</summary>
    public IByteChannel? Channel { get; set; }

    /// <summary>Set while the two sides' baud rates differ: every byte arrives as noise.</summary>
    public bool Garble { get; set; }

    public long FramesSent { get; private set; }
    public long FramesDropped { get; private set; }
    public long FramesCorrupted { get; private set; }
    public long FramesDelayed { get; private set; }

    public void Send(ReadOnlySpan<byte> frame)
    {
        if (faults.DropRate > 0 && random.NextDouble() < faults.DropRate)
        {
            FramesDropped++;
            return;
        }

        if (faults.CorruptRate > 0 && random.NextDouble() < faults.CorruptRate)
        {
            Span<byte> corrupted = stackalloc byte[frame.Length];
            frame.CopyTo(corrupted);
            FlipOneBit(corrupted[..^1]);
            FramesCorrupted++;
            Write(corrupted);
            return;
        }

        if (faults.DelayRate > 0 && random.NextDouble() < faults.DelayRate)
        {
            FramesDelayed++;
            delayed.Enqueue((Environment.TickCount64 + (long)faults.Delay.TotalMilliseconds, frame.ToArray()));
            return;
        }

        Write(frame);
    }

    /// <summary>Sends the delayed frames that are due.</summary>
    public void Flush()
    {
        var now = Environment.TickCount64;
        while (delayed.Count > 0 && delayed.Peek().DueTicks <= now)
            Write(delayed.Dequeue().Frame);
    }

    // A flipped bit that would create a zero would also split the frame; flip a bit that keeps the byte non-zero.
    private void FlipOneBit(Span<byte> body)
    {
        while (true)
        {
            var index = random.Next(body.Length);
            var flipped = (byte)(body[index] ^ (1 << random.Next(8)));
            if (flipped == 0)
                continue;
            body[index] = flipped;
            return;
        }
    }

    private void Write(ReadOnlySpan<byte> frame)
    {
        if (Channel is null)
            return;
        if (Garble)
        {
            Span<byte> noise = stackalloc byte[frame.Length];
            random.NextBytes(noise);
            Channel.Write(noise);
            return;
        }

        Channel.Write(frame);
        FramesSent++;
    }
}
