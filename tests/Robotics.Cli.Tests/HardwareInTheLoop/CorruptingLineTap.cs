using Robotics.FirmwareInterface.Transport;

namespace Robotics.Cli.Tests.HardwareInTheLoop;

/// <summary>
/// A noisy piece of cable between the host and the emulated robot: a pseudo-terminal for the host, relayed
/// byte for byte to the robot's device, with one bit flipped in a seeded fraction of the host's frames (the
/// emulator's own fault injection covers the other direction).
/// </summary>
internal sealed class CorruptingLineTap : IDisposable
{
    private const byte FrameDelimiter = 0x00;
    private const int CorruptedByteInFrame = 4; // past the COBS code byte: the frame's checksum catches it

    private readonly PseudoTerminal host;
    private readonly SerialDevice robot;
    private readonly Random random;
    private readonly double rate;
    private readonly Thread toRobot;
    private readonly Thread toHost;
    private volatile bool stopping;
    private int byteInFrame;
    private bool corruptThisFrame;

    public CorruptingLineTap(string robotDevice, int baudRate, double corruptRate, int seed)
    {
        rate = corruptRate;
        random = new Random(seed);
        robot = SerialDevice.Open(robotDevice, baudRate);
        host = PseudoTerminal.Open();
        toRobot = new Thread(() => Relay(host, data => robot.WriteAll(data.Span), corrupt: true)) { IsBackground = true, Name = "line tap to robot" };
        toHost = new Thread(() => Relay(robot, data => WriteAll(host, data), corrupt: false)) { IsBackground = true, Name = "line tap to host" };
        toRobot.Start();
        toHost.Start();
    }

    /// <summary>The path the host opens.</summary>
    public string DevicePath => host.DevicePath;

    public long FramesCorrupted { get; private set; }

    public void Dispose()
    {
        stopping = true;
        toRobot.Join();
        toHost.Join();
        host.Dispose();
        robot.Dispose();
    }

    private void Relay(IByteChannel from, Func<ReadOnlyMemory<byte>, bool> write, bool corrupt)
    {
        var buffer = new byte[4096];
        while (!stopping)
        {
            var count = from.Read(buffer, 5);
            if (count < 0) return;
            if (count == 0) continue;
            if (corrupt) Corrupt(buffer.AsSpan(0, count));
            write(buffer.AsMemory(0, count));
        }
    }

    private void Corrupt(Span<byte> bytes)
    {
        for (int i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == FrameDelimiter)
            {
                byteInFrame = 0;
                corruptThisFrame = false;
                continue;
            }

            if (byteInFrame == 0) corruptThisFrame = random.NextDouble() < rate;
            if (corruptThisFrame && byteInFrame == CorruptedByteInFrame)
            {
                // Flip a bit that cannot turn the byte into a delimiter (that would split the frame instead).
                bytes[i] ^= bytes[i] == 0x01 ? (byte)0x02 : (byte)0x01;
                FramesCorrupted++;
            }

            byteInFrame++;
        }
    }

    private static bool WriteAll(PseudoTerminal terminal, ReadOnlyMemory<byte> data)
    {
        var left = data.Span;
        while (left.Length > 0)
        {
            var written = terminal.Write(left);
            if (written == 0) Thread.Sleep(1);
            left = left[written..];
        }

        return true;
    }
}
