using System.Collections.Concurrent;
using System.Diagnostics;
using Robotics.FirmwareInterface.Protocol;
using Robotics.FirmwareInterface.Transport;

namespace Robotics.RobotEmulator.Tests.Firmware;

/// <summary>
/// A bare protocol host for the firmware in QEMU: opens its host pseudo-terminal, reads on a thread of its own
/// (QEMU's UART blocks when nobody reads) and keeps every decoded message with its arrival time. It can flip a
/// bit in chosen frames either way, like a noisy cable, and it can stop reading.
/// </summary>
internal sealed class FirmwareHost : IDisposable
{
    private readonly SerialDevice device;
    private readonly Thread reader;
    private readonly FrameDecoder decoder = new();
    private readonly byte[] payload = new byte[WireFormat.MaxPayloadSize];
    private readonly byte[] frame = new byte[WireFormat.MaxFrameSize];
    private readonly Func<byte[], bool>? corruptReceived;
    private volatile bool stopping;
    private volatile bool paused;
    private uint sequence;

    /// <param name="corruptReceived">asked once per frame received (its bytes): whether to flip a bit in it before decoding</param>
    public FirmwareHost(string devicePath, Func<byte[], bool>? corruptReceived = null)
    {
        this.corruptReceived = corruptReceived;
        device = SerialDevice.Open(devicePath, 921_600);
        reader = new Thread(Read) { IsBackground = true, Name = "firmware host reader" };
        reader.Start();
    }

    public ConcurrentQueue<(long Ticks, ProtocolMessage Message)> Received { get; } = new();

    public long FramesCorruptedOnReceive { get; private set; }

    public long BadChecksums => decoder.BadChecksums + decoder.MalformedFrames;

    public IEnumerable<StateMessage> States => Received.Select(r => r.Message).OfType<StateMessage>();

    public IEnumerable<FaultMessage> Faults => Received.Select(r => r.Message).OfType<FaultMessage>();

    /// <summary>Sends handshake requests every 200 ms (QEMU notices a new pseudo-terminal about once a second) until answered.</summary>
    public HandshakeMessage Handshake(ulong contractHash, double seconds = 10)
    {
        var deadline = Stopwatch.StartNew();
        var already = Received.Count;
        while (deadline.Elapsed.TotalSeconds < seconds)
        {
            _ = Send(new HandshakeMessage(sequence++, false, WireFormat.ProtocolVersion, "test host", contractHash, 0, 0, 0, 0, false));
            var wait = Stopwatch.StartNew();
            while (wait.ElapsedMilliseconds < 200)
            {
                if (Received.Skip(already).Select(r => r.Message).OfType<HandshakeMessage>().FirstOrDefault() is { } response)
                    return response;
                Thread.Sleep(5);
            }
        }

        throw new TimeoutException($"no handshake response within {seconds} s");
    }

    public bool SendCommand(float[] targets, CommandMode mode = CommandMode.Active, bool corrupt = false) =>
        Send(new CommandMessage(sequence++, 0, mode, targets), corrupt);

    public uint SendEmergencyStop()
    {
        var sequence = this.sequence++;
        _ = Send(new EmergencyStopMessage(sequence, FaultCode.OperatorRequest));
        return sequence;
    }

    /// <summary>The newest state, waiting for one that matches <paramref name="condition"/>; fails the test after the limit.</summary>
    public StateMessage WaitForState(Func<StateMessage, bool> condition, string what, double seconds = 5)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed.TotalSeconds < seconds)
        {
            if (States.LastOrDefault() is { } state && condition(state))
                return state;
            Thread.Sleep(2);
        }

        throw new TimeoutException($"no state in which {what} within {seconds} s; last status {States.LastOrDefault()?.Status}");
    }

    /// <summary>Whether a received frame (delimiter included) is an intact state frame.</summary>
    public static bool IsStateFrame(byte[] frame)
    {
        var payload = new byte[WireFormat.MaxPayloadSize];
        return FrameCodec.Decode(frame.AsSpan(0, frame.Length - 1), payload, out var length) == FrameStatus.Ok
            && length > 1 && payload[1] == (byte)SerialMessageType.State;
    }

    /// <summary>Stops taking bytes off the line (the pseudo-terminal fills up behind it).</summary>
    public void StopReading() => paused = true;

    public void Dispose()
    {
        stopping = true;
        reader.Join();
        device.Dispose();
    }

    /// <summary>Writes a frame, optionally with one bit flipped past its COBS code byte, so that its checksum fails.</summary>
    /// Returns false when the line did not take it (the other side has stopped reading).
    public bool Send(ProtocolMessage message, bool corrupt = false)
    {
        var length = FrameCodec.Encode(payload.AsSpan(0, MessageCodec.EncodePayload(message, payload)), frame);
        if (corrupt)
            Flip(frame.AsSpan(0, length - 1));
        return device.WriteAll(frame.AsSpan(0, length));
    }

    // Flips a bit that cannot turn the byte into a delimiter (that would split the frame instead).
    private static void Flip(Span<byte> frame) => frame[3] ^= frame[3] == 0x01 ? (byte)0x02 : (byte)0x01;

    private void Read()
    {
        var buffer = new byte[4096];
        var block = new List<byte>();
        while (!stopping)
        {
            if (paused)
            {
                Thread.Sleep(5);
                continue;
            }

            var count = device.Read(buffer, 5);
            if (count <= 0)
                continue;
            var ticks = Stopwatch.GetTimestamp();
            foreach (var b in buffer.AsSpan(0, count))
            {
                block.Add(b);
                if (b != 0)
                    continue;
                var frame = block.ToArray();
                block.Clear();
                if (frame.Length > 1 && corruptReceived?.Invoke(frame) == true)
                {
                    Flip(frame.AsSpan(0, frame.Length - 1));
                    FramesCorruptedOnReceive++;
                }

                ReadOnlySpan<byte> input = frame;
                while (decoder.TryReadFrame(ref input, out var payload))
                {
                    if (MessageCodec.TryDecodePayload(payload, out var message, out _) && message is not null)
                        Received.Enqueue((ticks, message));
                }
            }
        }
    }
}
