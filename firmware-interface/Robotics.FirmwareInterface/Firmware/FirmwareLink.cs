using Robotics.Contract;
using Robotics.FirmwareInterface.Protocol;

namespace Robotics.FirmwareInterface.Firmware;

/// <summary>Where a device-side link writes its frames (a pseudo-terminal master, a UART, a fault injector in between).</summary>
public interface IFrameSink
{
    void Send(ReadOnlySpan<byte> frame);
}

/// <summary>
/// The robot's side of the protocol, as firmware runs it: answers handshakes, applies commands through
/// <see cref="FirmwareRules"/>, acknowledges heartbeats and emergency stops, reports faults, and sends state
/// frames once linked. Single-threaded: the caller feeds received bytes and ticks it from one loop.
/// </summary>
public sealed class FirmwareLink(HandshakeMessage identity, FirmwareRules rules, IFrameSink sink)
{
    private static readonly ulong FaultRepeatMicros = 1_000_000;

    private readonly FrameDecoder decoder = new();
    private readonly byte[] payload = new byte[WireFormat.MaxPayloadSize];
    private readonly byte[] frame = new byte[WireFormat.MaxFrameSize];
    private readonly float[] targets = new float[WireFormat.MaxActuators];
    private uint sequence;
    private FaultCode lastFaultSent;
    private ulong lastFaultMicros;

    public FirmwareRules Rules { get; } = rules;

    public FrameDecoder Decoder => decoder;

    public bool Linked => Rules.Status.HasFlag(RobotStatusFlags.Linked);

    /// <summary>Whether every state says that this robot steps only when answered (an emulator in lockstep).</summary>
    public bool Lockstep { get; init; }

    public long CommandsReceived { get; private set; }

    /// <summary>The state sequence the newest command answered.</summary>
    public uint LastAnsweredStateSequence { get; private set; }

    /// <summary>Raised after each command has gone through the rules (an echo or a test can answer it at once).</summary>
    public event Action? CommandApplied;

    /// <summary>Frames from the host that this side could not use (wrong version, malformed body).</summary>
    public long RejectedFrames { get; private set; }

    public void Receive(ReadOnlySpan<byte> bytes, ulong nowMicros)
    {
        while (decoder.TryReadFrame(ref bytes, out var payload))
            Handle(payload, nowMicros);
    }

    /// <summary>Runs the watchdog and reports it when it trips.</summary>
    public void Tick(ulong nowMicros) => Report(Rules.Tick(nowMicros), nowMicros);

    /// <summary>
    /// Sends <paramref name="state"/> with this link's next sequence, the device clock, the rules' status and their count
    /// of commands received; nothing before the handshake.
    /// </summary>
    public void SendState(RobotState state, ulong nowMicros)
    {
        if (!Linked)
            return;
        state.Sequence = sequence++;
        state.DeviceTimeMicros = nowMicros;
        state.StatusFlags = (uint)(Lockstep ? Rules.Status | RobotStatusFlags.Lockstep : Rules.Status);
        state.CommandsReceived = Rules.CommandsReceived;
        state.LastCommandSequence = Rules.LastCommandSequence;
        SendPayload(StateCodec.Write(payload, state));
    }

    public void SendFault(FaultCode code, ushort detail, string text) =>
        SendMessage(new FaultMessage(sequence++, code, detail, text));

    private void Handle(ReadOnlySpan<byte> payload, ulong nowMicros)
    {
        if (!SerialFrameHeader.TryRead(payload, out var header) || header.Version != WireFormat.ProtocolVersion)
        {
            RejectedFrames++;
            SendFault(FaultCode.ProtocolVersionMismatch, header.Version, $"this firmware speaks protocol version {WireFormat.ProtocolVersion}");
            return;
        }

        switch (header.Type)
        {
            case SerialMessageType.Command:
                if (!CommandCodec.TryRead(payload, out var stateSequence, out var mode, targets, out var count))
                {
                    RejectedFrames++;
                    Report(new RuleReport(FaultCode.MalformedFrame, FaultMessage.NoDetail), nowMicros);
                    return;
                }

                CommandsReceived++;
                LastAnsweredStateSequence = stateSequence;
                Report(Rules.OnCommand(mode, targets.AsSpan(0, count), header.Sequence, nowMicros), nowMicros);
                CommandApplied?.Invoke();
                return;
            case SerialMessageType.HandshakeRequest:
                if (!MessageCodec.TryDecodePayload(payload, out var message, out _) || message is not HandshakeMessage request)
                {
                    RejectedFrames++;
                    return;
                }

                if (request.ProtocolVersion != WireFormat.ProtocolVersion)
                {
                    SendFault(FaultCode.ProtocolVersionMismatch, request.ProtocolVersion, $"this firmware speaks protocol version {WireFormat.ProtocolVersion}");
                    return;
                }

                Rules.OnHandshake(nowMicros);
                lastFaultSent = FaultCode.None;
                SendMessage(identity with { Sequence = sequence++, IsResponse = true, ProtocolVersion = WireFormat.ProtocolVersion });
                return;
            case SerialMessageType.EmergencyStop:
                Rules.OnEmergencyStop();
                SendMessage(new AcknowledgementMessage(sequence++, header.Sequence, SerialMessageType.EmergencyStop, FaultCode.None));
                return;
            case SerialMessageType.Heartbeat:
                SendMessage(new AcknowledgementMessage(sequence++, header.Sequence, SerialMessageType.Heartbeat, FaultCode.None));
                return;
            default:
                RejectedFrames++;
                return;
        }
    }

    // Faults go out when they change, and again at most once a second while they persist.
    private void Report(RuleReport report, ulong nowMicros)
    {
        if (report.Code == FaultCode.None)
            return;
        if (report.Code == lastFaultSent && nowMicros - lastFaultMicros < FaultRepeatMicros)
            return;
        lastFaultSent = report.Code;
        lastFaultMicros = nowMicros;
        SendFault(report.Code, report.Detail, Rules.Describe(report));
    }

    private void SendMessage(ProtocolMessage message) => SendPayload(MessageCodec.EncodePayload(message, payload));

    private void SendPayload(int length)
    {
        var frameLength = FrameCodec.Encode(payload.AsSpan(0, length), frame);
        sink.Send(frame.AsSpan(0, frameLength));
    }
}
