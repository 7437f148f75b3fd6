using System.Diagnostics;
using Robotics.Contract;
using Robotics.FirmwareInterface.Protocol;
using Robotics.Runtime.Transport;

namespace Robotics.FirmwareInterface.Transport;

/// <summary>
/// The serial link to robot firmware (docs/serial-protocol.md). A reader thread decodes frames and keeps the
/// newest state; <see cref="TryReadLatestState"/> and <see cref="SendCommand"/> do not allocate. When the device
/// vanishes (unplugged, hung up) the reader closes it, opens the same path again as soon as it reappears,
/// repeats the handshake and counts a reconnect.
/// </summary>
public sealed class SerialRobotTransport : IRobotTransport
{
    private const int ReadPollMilliseconds = 20;

    private readonly string portName;
    private readonly SerialTransportOptions options;
    private readonly FrameDecoder decoder = new();
    private readonly Lock writeGate = new();
    private readonly byte[] txPayload = new byte[WireFormat.MaxPayloadSize];
    private readonly byte[] txFrame = new byte[WireFormat.MaxFrameSize];
    private readonly byte[] rxBuffer = new byte[4096];
    private readonly ManualResetEventSlim handshakeArrived = new(false);
    private readonly CommandDeliveryLedger delivery = new();

    private SerialDevice? device;
    private Thread? reader;
    private volatile bool stopping;
    private uint txSequence;
    private long bytesReceived;
    private uint lastRxSequence;
    private bool awaitingHandshake;
    private long nextHandshakeRequestTicks;
    private long nextReconnectTicks;
    private RobotHandshake? handshake;
    private string? handshakeProblem;
    private RobotState? scratch;
    private LatestStateBuffer? latest;
    private bool commanded;

    public SerialRobotTransport(string portName, SerialTransportOptions? options = null)
    {
        this.portName = portName;
        this.options = options ?? new SerialTransportOptions();
    }

    public LinkStatistics Statistics { get; } = new();

    /// <summary>The handshake the robot answered, once <see cref="Open"/> has succeeded.</summary>
    public RobotHandshake? Handshake => handshake;

    public RobotHandshake Open(TimeSpan timeout)
    {
        ObjectDisposedException.ThrowIf(stopping, this);
        if (reader is not null)
            throw new InvalidOperationException($"the link to '{portName}' is already open");

        device = SerialDevice.Open(portName, options.BaudRate);
        awaitingHandshake = true;
        reader = new Thread(ReadLoop) { IsBackground = true, Name = $"serial reader {portName}" };
        reader.Start();

        // The reader thread repeats the request until the answer comes.
        handshakeArrived.Wait(timeout);

        if (handshakeProblem is not null || handshake is null)
        {
            var problem = handshakeProblem ?? (bytesReceived > 0
                ? $"received {bytesReceived} bytes from '{portName}' within {timeout.TotalSeconds:0.##} s but no valid frame at {options.BaudRate} baud: the baud rate most likely differs from the firmware's; use the firmware's rate"
                : null)
                ?? $"no answer from '{portName}' within {timeout.TotalSeconds:0.##} s at {options.BaudRate} baud: check that the baud rate matches the firmware's, that the robot is powered and running its firmware, and the cable";
            Dispose();
            throw new RobotLinkException(problem);
        }

        return handshake;
    }

    public bool TryReadLatestState(RobotState destination) => this.latest is { } latest && latest.TryCopyTo(destination);

    public void SendCommand(uint stateSequence, ReadOnlySpan<float> targets)
    {
        var handshake = this.handshake ?? throw new InvalidOperationException("open the link before sending commands");
        if (targets.Length != handshake.ActuatorCount)
            throw new ArgumentException($"robot '{handshake.RobotName}' has {handshake.ActuatorCount} actuators; got {targets.Length} targets", nameof(targets));
        lock (writeGate)
        {
            // While the device is gone the command is counted, not queued: a late command is worse than none.
            if (!Statistics.Connected)
            {
                Statistics.SendFailures++;
                return;
            }

            var sequence = txSequence++;
            var length = CommandCodec.Write(txPayload, sequence, stateSequence, CommandMode.Active, targets);
            if (SendPayloadLocked(length))
                delivery.OnWritten(sequence);
            commanded = true;
        }
    }

    public void SendEmergencyStop()
    {
        lock (writeGate)
        {
            var length = MessageCodec.EncodePayload(new EmergencyStopMessage(txSequence++, FaultCode.OperatorRequest), txPayload);
            SendPayloadLocked(length);
        }
    }

    public void Dispose()
    {
        if (stopping)
            return;
        // A robot never commanded is still in the safe state its handshake put it in: send it nothing
        // (a host refusing a robot after the handshake must not command it at all).
        if (Statistics.Connected && commanded && this.handshake is { } handshake)
            SendSafeCommand(handshake.ActuatorCount);
        stopping = true;
        reader?.Join();
        device?.Dispose();
        device = null;
        Statistics.Connected = false;
        handshakeArrived.Dispose();
    }

    // The host closes the link on purpose: tell the robot instead of leaving it to its watchdog.
    private void SendSafeCommand(int actuators)
    {
        Span<float> zeros = stackalloc float[actuators];
        lock (writeGate)
        {
            var sequence = txSequence++;
            var length = CommandCodec.Write(txPayload, sequence, 0, CommandMode.Safe, zeros);
            if (SendPayloadLocked(length))
                delivery.OnWritten(sequence);
        }
    }

    private void SendHandshakeRequest()
    {
        var request = new HandshakeMessage(0, false, WireFormat.ProtocolVersion, options.HostName, options.ExpectedContractHash,
            0, 0, 0f, (float)options.ControlRateHz, false);
        lock (writeGate)
        {
            var length = MessageCodec.EncodePayload(request with { Sequence = txSequence++ }, txPayload);
            SendPayloadLocked(length);
        }
    }

    // Returns whether the frame was written.
    private bool SendPayloadLocked(int payloadLength)
    {
        var frameLength = FrameCodec.Encode(txPayload.AsSpan(0, payloadLength), txFrame);
        if (this.device is { } device && device.WriteAll(txFrame.AsSpan(0, frameLength)))
        {
            Statistics.FramesSent++;
            return true;
        }

        Statistics.SendFailures++;
        return false;
    }

    private void ReadLoop()
    {
        while (!stopping)
        {
            if (device is null)
            {
                TryReopen();
                continue;
            }

            if (awaitingHandshake && Stopwatch.GetTimestamp() >= nextHandshakeRequestTicks)
            {
                SendHandshakeRequest();
                nextHandshakeRequestTicks = Stopwatch.GetTimestamp() + Ticks(options.HandshakeRetryInterval);
            }

            var count = device.Read(rxBuffer, ReadPollMilliseconds);
            if (count < 0)
            {
                DeviceLost();
                continue;
            }

            bytesReceived += count;
            ReadOnlySpan<byte> input = rxBuffer.AsSpan(0, count);
            while (decoder.TryReadFrame(ref input, out var payload))
                Dispatch(payload);
            Statistics.BadChecksums = decoder.BadChecksums;
            Statistics.MalformedFrames = decoder.MalformedFrames;
            Statistics.OversizeFrames = decoder.OversizeFrames;
        }
    }

    private void DeviceLost()
    {
        Statistics.Connected = false;
        Statistics.LastFault = $"serial device '{portName}' vanished; reconnecting when it returns";
        Statistics.LastFaultCode = (uint)FaultCode.LinkLost;
        Statistics.LinkLost = true;
        lock (writeGate)
        {
            device?.Dispose();
            device = null;
        }

        nextReconnectTicks = Stopwatch.GetTimestamp() + Ticks(options.ReconnectInterval);
    }

    private void TryReopen()
    {
        var wait = nextReconnectTicks - Stopwatch.GetTimestamp();
        if (wait > 0)
        {
            Thread.Sleep(TimeSpan.FromSeconds(Math.Min(wait, Ticks(TimeSpan.FromMilliseconds(ReadPollMilliseconds))) / (double)Stopwatch.Frequency));
            return;
        }

        nextReconnectTicks = Stopwatch.GetTimestamp() + Ticks(options.ReconnectInterval);
        try
        {
            var device = SerialDevice.Open(portName, options.BaudRate);
            lock (writeGate)
                this.device = device;
            decoder.Reset();
            awaitingHandshake = true;
            nextHandshakeRequestTicks = 0;
        }
        catch (RobotLinkException)
        {
            // Not back yet.
        }
    }

    private void Dispatch(ReadOnlySpan<byte> payload)
    {
        if (!SerialFrameHeader.TryRead(payload, out var header))
            return;
        if (header.Version != WireFormat.ProtocolVersion)
        {
            if (handshake is null)
                FailHandshake($"robot at '{portName}' speaks protocol version {header.Version}; this host speaks {WireFormat.ProtocolVersion}: update the firmware or the host so that both match");
            Statistics.MalformedFrames++;
            return;
        }

        Statistics.FramesReceived++;
        if (header.Type == SerialMessageType.HandshakeResponse)
        {
            OnHandshakeResponse(payload, header.Sequence);
            return;
        }

        if (!Statistics.Connected)
            return;
        CountSequence(header.Sequence);
        switch (header.Type)
        {
            case SerialMessageType.State:
                if (this.scratch is { } scratch && StateCodec.TryRead(payload, scratch))
                {
                    scratch.ReceivedTicks = Stopwatch.GetTimestamp();
                    // Counted before publishing, so that whoever reads this state reads the losses it reveals.
                    lock (writeGate)
                    {
                        delivery.OnState(scratch.CommandsReceived, scratch.LastCommandSequence);
                        Statistics.CommandsNotReceived = delivery.Lost;
                    }

                    latest!.Publish(scratch);
                }
                else
                {
                    Statistics.MalformedFrames++;
                }

                break;
            case SerialMessageType.Fault:
                if (MessageCodec.TryDecodePayload(payload, out var message, out _) && message is FaultMessage fault)
                {
                    Statistics.LastFaultCode = (uint)fault.Code;
                    Statistics.LastFault = fault.Text;
                }

                break;
        }
    }

    private void OnHandshakeResponse(ReadOnlySpan<byte> payload, uint sequence)
    {
        if (!awaitingHandshake)
            return;
        if (!MessageCodec.TryDecodePayload(payload, out var message, out var error) || message is not HandshakeMessage response)
        {
            Statistics.MalformedFrames++;
            Statistics.LastFault = $"malformed handshake response: {error}";
            return;
        }

        if (response.ProtocolVersion != WireFormat.ProtocolVersion)
        {
            FailHandshake($"robot '{response.RobotName}' at '{portName}' speaks protocol version {response.ProtocolVersion}; this host speaks {WireFormat.ProtocolVersion}: update the firmware or the host so that both match");
            return;
        }

        var handshake = new RobotHandshake(response.ProtocolVersion, response.RobotName, response.ContractHash,
            response.JointCount, response.ActuatorCount, response.StateRateHz, response.ControlRateHz) { HasImu = response.HasImu };
        if (this.handshake is { } first)
        {
            // A reconnect must find the same robot; anything else would feed a policy the wrong joints.
            if (first != handshake)
            {
                Statistics.LastFault = $"after reconnecting, '{portName}' answered as {handshake} instead of {first}; not using it";
                Statistics.LastFaultCode = (uint)FaultCode.LinkLost;
                Statistics.LinkLost = true;
                return;
            }

            Statistics.Reconnects++;
        }
        else
        {
            scratch = new RobotState(handshake.JointCount);
            latest = new LatestStateBuffer(handshake.JointCount);
            this.handshake = handshake;
        }

        lastRxSequence = sequence;
        lock (writeGate)
            delivery.OnLinked();
        awaitingHandshake = false;
        Statistics.LinkLost = false;
        Statistics.Connected = true;
        handshakeArrived.Set();
    }

    private void FailHandshake(string problem)
    {
        handshakeProblem ??= problem;
        awaitingHandshake = false;
        handshakeArrived.Set();
    }

    private void CountSequence(uint sequence)
    {
        var gap = sequence - lastRxSequence - 1;
        // A huge gap is a restarted sender rather than millions of lost frames.
        if (gap != 0)
            Statistics.SequenceGaps += gap < 1_000_000 ? gap : 1;
        lastRxSequence = sequence;
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}
