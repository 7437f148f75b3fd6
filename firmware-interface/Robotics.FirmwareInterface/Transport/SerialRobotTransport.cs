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

    private readonly string _portName;
    private readonly SerialTransportOptions _options;
    private readonly FrameDecoder _decoder = new();
    private readonly Lock _writeGate = new();
    private readonly byte[] _txPayload = new byte[WireFormat.MaxPayloadSize];
    private readonly byte[] _txFrame = new byte[WireFormat.MaxFrameSize];
    private readonly byte[] _rxBuffer = new byte[4096];
    private readonly ManualResetEventSlim _handshakeArrived = new(false);
    private readonly CommandDeliveryLedger _delivery = new();

    private SerialDevice? _device;
    private Thread? _reader;
    private volatile bool _stopping;
    private uint _txSequence;
    private long _bytesReceived;
    private uint _lastRxSequence;
    private bool _awaitingHandshake;
    private long _nextHandshakeRequestTicks;
    private long _nextReconnectTicks;
    private RobotHandshake? _handshake;
    private string? _handshakeProblem;
    private RobotState? _scratch;
    private LatestStateBuffer? _latest;
    private bool _commanded;

    public SerialRobotTransport(string portName, SerialTransportOptions? options = null)
    {
        _portName = portName;
        _options = options ?? new SerialTransportOptions();
    }

    public LinkStatistics Statistics { get; } = new();

    /// <summary>The handshake the robot answered, once <see cref="Open"/> has succeeded.</summary>
    public RobotHandshake? Handshake => _handshake;

    public RobotHandshake Open(TimeSpan timeout)
    {
        ObjectDisposedException.ThrowIf(_stopping, this);
        if (_reader is not null)
            throw new InvalidOperationException($"the link to '{_portName}' is already open");

        _device = SerialDevice.Open(_portName, _options.BaudRate);
        _awaitingHandshake = true;
        _reader = new Thread(ReadLoop) { IsBackground = true, Name = $"serial reader {_portName}" };
        _reader.Start();

        // The reader thread repeats the request until the answer comes.
        _handshakeArrived.Wait(timeout);

        if (_handshakeProblem is not null || _handshake is null)
        {
            var problem = _handshakeProblem ?? (_bytesReceived > 0
                ? $"received {_bytesReceived} bytes from '{_portName}' within {timeout.TotalSeconds:0.##} s but no valid frame at {_options.BaudRate} baud: the baud rate most likely differs from the firmware's; use the firmware's rate"
                : null)
                ?? $"no answer from '{_portName}' within {timeout.TotalSeconds:0.##} s at {_options.BaudRate} baud: check that the baud rate matches the firmware's, that the robot is powered and running its firmware, and the cable";
            Dispose();
            throw new RobotLinkException(problem);
        }

        return _handshake;
    }

    public bool TryReadLatestState(RobotState destination) => _latest is { } latest && latest.TryCopyTo(destination);

    public void SendCommand(uint stateSequence, ReadOnlySpan<float> targets)
    {
        var handshake = _handshake ?? throw new InvalidOperationException("open the link before sending commands");
        if (targets.Length != handshake.ActuatorCount)
            throw new ArgumentException($"robot '{handshake.RobotName}' has {handshake.ActuatorCount} actuators; got {targets.Length} targets", nameof(targets));
        lock (_writeGate)
        {
            // While the device is gone the command is counted, not queued: a late command is worse than none.
            if (!Statistics.Connected)
            {
                Statistics.SendFailures++;
                return;
            }

            var sequence = _txSequence++;
            var length = CommandCodec.Write(_txPayload, sequence, stateSequence, CommandMode.Active, targets);
            if (SendPayloadLocked(length))
                _delivery.OnWritten(sequence);
            _commanded = true;
        }
    }

    public void SendEmergencyStop()
    {
        lock (_writeGate)
        {
            var length = MessageCodec.EncodePayload(new EmergencyStopMessage(_txSequence++, FaultCode.OperatorRequest), _txPayload);
            SendPayloadLocked(length);
        }
    }

    public void Dispose()
    {
        if (_stopping)
            return;
        // A robot never commanded is still in the safe state its handshake put it in: send it nothing
        // (a host refusing a robot after the handshake must not command it at all).
        if (Statistics.Connected && _commanded && _handshake is { } handshake)
            SendSafeCommand(handshake.ActuatorCount);
        _stopping = true;
        _reader?.Join();
        _device?.Dispose();
        _device = null;
        Statistics.Connected = false;
        _handshakeArrived.Dispose();
    }

    // The host closes the link on purpose: tell the robot instead of leaving it to its watchdog.
    private void SendSafeCommand(int actuators)
    {
        Span<float> zeros = stackalloc float[actuators];
        lock (_writeGate)
        {
            var sequence = _txSequence++;
            var length = CommandCodec.Write(_txPayload, sequence, 0, CommandMode.Safe, zeros);
            if (SendPayloadLocked(length))
                _delivery.OnWritten(sequence);
        }
    }

    private void SendHandshakeRequest()
    {
        var request = new HandshakeMessage(0, false, WireFormat.ProtocolVersion, _options.HostName, _options.ExpectedContractHash,
            0, 0, 0f, (float)_options.ControlRateHz, false);
        lock (_writeGate)
        {
            var length = MessageCodec.EncodePayload(request with { Sequence = _txSequence++ }, _txPayload);
            SendPayloadLocked(length);
        }
    }

    // Returns whether the frame was written.
    private bool SendPayloadLocked(int payloadLength)
    {
        var frameLength = FrameCodec.Encode(_txPayload.AsSpan(0, payloadLength), _txFrame);
        if (_device is { } device && device.WriteAll(_txFrame.AsSpan(0, frameLength)))
        {
            Statistics.FramesSent++;
            return true;
        }

        Statistics.SendFailures++;
        return false;
    }

    private void ReadLoop()
    {
        while (!_stopping)
        {
            if (_device is null)
            {
                TryReopen();
                continue;
            }

            if (_awaitingHandshake && Stopwatch.GetTimestamp() >= _nextHandshakeRequestTicks)
            {
                SendHandshakeRequest();
                _nextHandshakeRequestTicks = Stopwatch.GetTimestamp() + Ticks(_options.HandshakeRetryInterval);
            }

            var count = _device.Read(_rxBuffer, ReadPollMilliseconds);
            if (count < 0)
            {
                DeviceLost();
                continue;
            }

            _bytesReceived += count;
            ReadOnlySpan<byte> input = _rxBuffer.AsSpan(0, count);
            while (_decoder.TryReadFrame(ref input, out var payload))
                Dispatch(payload);
            Statistics.BadChecksums = _decoder.BadChecksums;
            Statistics.MalformedFrames = _decoder.MalformedFrames;
            Statistics.OversizeFrames = _decoder.OversizeFrames;
        }
    }

    private void DeviceLost()
    {
        Statistics.Connected = false;
        Statistics.LastFault = $"serial device '{_portName}' vanished; reconnecting when it returns";
        Statistics.LastFaultCode = (uint)FaultCode.LinkLost;
        Statistics.LinkLost = true;
        lock (_writeGate)
        {
            _device?.Dispose();
            _device = null;
        }

        _nextReconnectTicks = Stopwatch.GetTimestamp() + Ticks(_options.ReconnectInterval);
    }

    private void TryReopen()
    {
        var wait = _nextReconnectTicks - Stopwatch.GetTimestamp();
        if (wait > 0)
        {
            Thread.Sleep(TimeSpan.FromSeconds(Math.Min(wait, Ticks(TimeSpan.FromMilliseconds(ReadPollMilliseconds))) / (double)Stopwatch.Frequency));
            return;
        }

        _nextReconnectTicks = Stopwatch.GetTimestamp() + Ticks(_options.ReconnectInterval);
        try
        {
            var device = SerialDevice.Open(_portName, _options.BaudRate);
            lock (_writeGate)
                _device = device;
            _decoder.Reset();
            _awaitingHandshake = true;
            _nextHandshakeRequestTicks = 0;
        }
        catch (RobotLinkException)
        {
            // Not back yet.
        }
    }

    private void Dispatch(ReadOnlySpan<byte> payload)
    {
        if (!FrameHeader.TryRead(payload, out var header))
            return;
        if (header.Version != WireFormat.ProtocolVersion)
        {
            if (_handshake is null)
                FailHandshake($"robot at '{_portName}' speaks protocol version {header.Version}; this host speaks {WireFormat.ProtocolVersion}: update the firmware or the host so that both match");
            Statistics.MalformedFrames++;
            return;
        }

        Statistics.FramesReceived++;
        if (header.Type == MessageType.HandshakeResponse)
        {
            OnHandshakeResponse(payload, header.Sequence);
            return;
        }

        if (!Statistics.Connected)
            return;
        CountSequence(header.Sequence);
        switch (header.Type)
        {
            case MessageType.State:
                if (_scratch is { } scratch && StateCodec.TryRead(payload, scratch))
                {
                    scratch.ReceivedTicks = Stopwatch.GetTimestamp();
                    // Counted before publishing, so that whoever reads this state reads the losses it reveals.
                    lock (_writeGate)
                    {
                        _delivery.OnState(scratch.CommandsReceived, scratch.LastCommandSequence);
                        Statistics.CommandsNotReceived = _delivery.Lost;
                    }

                    _latest!.Publish(scratch);
                }
                else
                {
                    Statistics.MalformedFrames++;
                }

                break;
            case MessageType.Fault:
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
        if (!_awaitingHandshake)
            return;
        if (!MessageCodec.TryDecodePayload(payload, out var message, out var error) || message is not HandshakeMessage response)
        {
            Statistics.MalformedFrames++;
            Statistics.LastFault = $"malformed handshake response: {error}";
            return;
        }

        if (response.ProtocolVersion != WireFormat.ProtocolVersion)
        {
            FailHandshake($"robot '{response.RobotName}' at '{_portName}' speaks protocol version {response.ProtocolVersion}; this host speaks {WireFormat.ProtocolVersion}: update the firmware or the host so that both match");
            return;
        }

        var handshake = new RobotHandshake(response.ProtocolVersion, response.RobotName, response.ContractHash,
            response.JointCount, response.ActuatorCount, response.StateRateHz, response.ControlRateHz) { HasImu = response.HasImu };
        if (_handshake is { } first)
        {
            // A reconnect must find the same robot; anything else would feed a policy the wrong joints.
            if (first != handshake)
            {
                Statistics.LastFault = $"after reconnecting, '{_portName}' answered as {handshake} instead of {first}; not using it";
                Statistics.LastFaultCode = (uint)FaultCode.LinkLost;
                Statistics.LinkLost = true;
                return;
            }

            Statistics.Reconnects++;
        }
        else
        {
            _scratch = new RobotState(handshake.JointCount);
            _latest = new LatestStateBuffer(handshake.JointCount);
            _handshake = handshake;
        }

        _lastRxSequence = sequence;
        lock (_writeGate)
            _delivery.OnLinked();
        _awaitingHandshake = false;
        Statistics.LinkLost = false;
        Statistics.Connected = true;
        _handshakeArrived.Set();
    }

    private void FailHandshake(string problem)
    {
        _handshakeProblem ??= problem;
        _awaitingHandshake = false;
        _handshakeArrived.Set();
    }

    private void CountSequence(uint sequence)
    {
        var gap = sequence - _lastRxSequence - 1;
        // A huge gap is a restarted sender rather than millions of lost frames.
        if (gap != 0)
            Statistics.SequenceGaps += gap < 1_000_000 ? gap : 1;
        _lastRxSequence = sequence;
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}
