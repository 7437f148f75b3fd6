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

    private readonly PseudoTerminal _host;
    private readonly SerialDevice _robot;
    private readonly Random _random;
    private readonly double _rate;
    private readonly Thread _toRobot;
    private readonly Thread _toHost;
    private volatile bool _stopping;
    private int _byteInFrame;
    private bool _corruptThisFrame;

    public CorruptingLineTap(string robotDevice, int baudRate, double corruptRate, int seed)
    {
        _rate = corruptRate;
        _random = new Random(seed);
        _robot = SerialDevice.Open(robotDevice, baudRate);
        _host = PseudoTerminal.Open();
        _toRobot = new Thread(() => Relay(_host, data => _robot.WriteAll(data.Span), corrupt: true)) { IsBackground = true, Name = "line tap to robot" };
        _toHost = new Thread(() => Relay(_robot, data => WriteAll(_host, data), corrupt: false)) { IsBackground = true, Name = "line tap to host" };
        _toRobot.Start();
        _toHost.Start();
    }

    /// <summary>The path the host opens.</summary>
    public string DevicePath => _host.DevicePath;

    public long FramesCorrupted { get; private set; }

    public void Dispose()
    {
        _stopping = true;
        _toRobot.Join();
        _toHost.Join();
        _host.Dispose();
        _robot.Dispose();
    }

    private void Relay(IByteChannel from, Func<ReadOnlyMemory<byte>, bool> write, bool corrupt)
    {
        var buffer = new byte[4096];
        while (!_stopping)
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
                _byteInFrame = 0;
                _corruptThisFrame = false;
                continue;
            }

            if (_byteInFrame == 0) _corruptThisFrame = _random.NextDouble() < _rate;
            if (_corruptThisFrame && _byteInFrame == CorruptedByteInFrame)
            {
                // Flip a bit that cannot turn the byte into a delimiter (that would split the frame instead).
                bytes[i] ^= bytes[i] == 0x01 ? (byte)0x02 : (byte)0x01;
                FramesCorrupted++;
            }

            _byteInFrame++;
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
