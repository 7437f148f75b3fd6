using System.Text;
using System.Text.Unicode;

namespace Robotics.FirmwareInterface.Protocol;

/// <summary>Encodes and decodes every message type as <see cref="ProtocolMessage"/> records (allocates; off the control path).</summary>
public static class MessageCodec
{
    private const int HandshakeFixedBodySize = 24;

    /// <summary>Encodes a message into a payload (header and body); returns its length.</summary>
    public static int EncodePayload(ProtocolMessage message, Span<byte> payload)
    {
        switch (message)
        {
            case StateMessage state:
                Span<float> imu = stackalloc float[StateCodec.ImuFloats];
                if (state.Imu is { } reading)
                {
                    Check(reading.Orientation.Length == 4 && reading.AngularVelocity.Length == 3 && reading.LinearAcceleration.Length == 3,
                        "an IMU reading needs a 4-float quaternion and 3-float angular velocity and acceleration");
                    reading.Orientation.CopyTo(imu);
                    reading.AngularVelocity.CopyTo(imu[4..]);
                    reading.LinearAcceleration.CopyTo(imu[7..]);
                }

                return StateCodec.Write(payload, state.Sequence, state.DeviceTimeMicros, state.Status, state.CommandsReceived, state.LastCommandSequence,
                    state.Positions, state.Velocities, state.Efforts, state.Imu is null ? default : imu);
            case CommandMessage command:
                return CommandCodec.Write(payload, command.Sequence, command.StateSequence, command.Mode, command.Targets);
        }

        var writer = new PayloadWriter(payload);
        writer.Header(message.Type, message.Sequence);
        switch (message)
        {
            case HandshakeMessage handshake:
                var name = Encoding.UTF8.GetBytes(handshake.RobotName);
                Check(name.Length <= WireFormat.MaxNameBytes, $"robot name '{handshake.RobotName}' is {name.Length} UTF-8 bytes; the protocol allows {WireFormat.MaxNameBytes}");
                Check(handshake.JointCount is >= 0 and <= WireFormat.MaxJoints, $"joint count {handshake.JointCount} outside 0..{WireFormat.MaxJoints}");
                Check(handshake.ActuatorCount is >= 0 and <= WireFormat.MaxActuators, $"actuator count {handshake.ActuatorCount} outside 0..{WireFormat.MaxActuators}");
                writer.U16(handshake.ProtocolVersion);
                writer.U64(handshake.ContractHash);
                writer.U16((ushort)handshake.JointCount);
                writer.U16((ushort)handshake.ActuatorCount);
                writer.F32(handshake.StateRateHz);
                writer.F32(handshake.ControlRateHz);
                writer.U8(handshake.HasImu ? (byte)1 : (byte)0);
                writer.U8((byte)name.Length);
                writer.Bytes(name);
                break;
            case HeartbeatMessage heartbeat:
                writer.U64(heartbeat.SenderTimeMicros);
                break;
            case FaultMessage fault:
                writer.U16((ushort)fault.Code);
                writer.U16(fault.Detail);
                Span<byte> text = stackalloc byte[WireFormat.MaxFaultTextBytes];
                // Long texts are cut at a character boundary rather than refused: a fault must always get through.
                Utf8.FromUtf16(fault.Text, text, out _, out var textBytes, replaceInvalidSequences: true, isFinalBlock: true);
                writer.U8((byte)textBytes);
                writer.Bytes(text[..textBytes]);
                break;
            case EmergencyStopMessage stop:
                writer.U16((ushort)stop.Reason);
                break;
            case AcknowledgementMessage ack:
                writer.U32(ack.AcknowledgedSequence);
                writer.U8((byte)ack.AcknowledgedType);
                writer.U8(0);
                writer.U16((ushort)ack.Result);
                break;
            default:
                throw new ArgumentException($"no encoding for {message.GetType().Name}", nameof(message));
        }

        return writer.Length;
    }

    /// <summary>Encodes a message into a complete frame (COBS, CRC, delimiter); returns the frame length.</summary>
    public static int EncodeFrame(ProtocolMessage message, Span<byte> frame)
    {
        Span<byte> payload = stackalloc byte[WireFormat.MaxPayloadSize];
        var length = EncodePayload(message, payload);
        return FrameCodec.Encode(payload[..length], frame);
    }

    /// <summary>Decodes a payload; on failure <paramref name="error"/> says what was wrong.</summary>
    public static bool TryDecodePayload(ReadOnlySpan<byte> payload, out ProtocolMessage? message, out string? error)
    {
        message = null;
        error = null;
        if (!SerialFrameHeader.TryRead(payload, out var header))
            return Fail(out error, $"payload of {payload.Length} bytes is shorter than the {WireFormat.HeaderSize}-byte header");
        if (header.Version != WireFormat.ProtocolVersion)
            return Fail(out error, $"frame has protocol version {header.Version}; this side speaks {WireFormat.ProtocolVersion}");

        var body = SerialFrameHeader.Body(payload);
        var reader = new PayloadReader(body);
        switch (header.Type)
        {
            case SerialMessageType.State:
                if (!StateCodec.TryReadShape(payload, out var joints, out var hasImu))
                    return Fail(out error, "state frame length does not match its joint count");
                var state = new Robotics.Contract.RobotState(joints);
                StateCodec.TryRead(payload, state);
                message = new StateMessage(header.Sequence, state.DeviceTimeMicros, (RobotStatusFlags)state.StatusFlags,
                    ToFloats(state.JointPositions), ToFloats(state.JointVelocities), ToFloats(state.JointEfforts),
                    hasImu ? new ImuReading(ToFloats(state.ImuOrientation), ToFloats(state.ImuAngularVelocity), ToFloats(state.ImuLinearAcceleration)) : null)
                {
                    CommandsReceived = state.CommandsReceived,
                    LastCommandSequence = state.LastCommandSequence,
                };
                return true;
            case SerialMessageType.Command:
                Span<float> targets = stackalloc float[WireFormat.MaxActuators];
                if (!CommandCodec.TryRead(payload, out var stateSequence, out var mode, targets, out var actuators))
                    return Fail(out error, "command frame is malformed (mode, actuator count or length)");
                message = new CommandMessage(header.Sequence, stateSequence, mode, targets[..actuators].ToArray());
                return true;
            case SerialMessageType.HandshakeRequest or SerialMessageType.HandshakeResponse:
                var version = reader.U16();
                var hash = reader.U64();
                var jointCount = reader.U16();
                var actuatorCount = reader.U16();
                var stateRate = reader.F32();
                var controlRate = reader.F32();
                var imuFlag = reader.U8();
                var nameLength = reader.U8();
                var name = reader.Bytes(nameLength);
                if (!reader.Ok || body.Length != HandshakeFixedBodySize + nameLength || nameLength > WireFormat.MaxNameBytes || imuFlag > 1)
                    return Fail(out error, "handshake frame is malformed");
                message = new HandshakeMessage(header.Sequence, header.Type == SerialMessageType.HandshakeResponse, version,
                    Encoding.UTF8.GetString(name), hash, jointCount, actuatorCount, stateRate, controlRate, imuFlag == 1);
                return true;
            case SerialMessageType.Heartbeat:
                var time = reader.U64();
                if (!reader.Ok || reader.Remaining != 0)
                    return Fail(out error, "heartbeat frame is malformed");
                message = new HeartbeatMessage(header.Sequence, time);
                return true;
            case SerialMessageType.Fault:
                var code = reader.U16();
                var detail = reader.U16();
                var textLength = reader.U8();
                var text = reader.Bytes(textLength);
                if (!reader.Ok || reader.Remaining != 0 || textLength > WireFormat.MaxFaultTextBytes)
                    return Fail(out error, "fault frame is malformed");
                message = new FaultMessage(header.Sequence, (FaultCode)code, detail, Encoding.UTF8.GetString(text));
                return true;
            case SerialMessageType.EmergencyStop:
                var reason = reader.U16();
                if (!reader.Ok || reader.Remaining != 0)
                    return Fail(out error, "emergency-stop frame is malformed");
                message = new EmergencyStopMessage(header.Sequence, (FaultCode)reason);
                return true;
            case SerialMessageType.Acknowledgement:
                var ackedSequence = reader.U32();
                var ackedType = reader.U8();
                reader.U8();
                var result = reader.U16();
                if (!reader.Ok || reader.Remaining != 0)
                    return Fail(out error, "acknowledgement frame is malformed");
                message = new AcknowledgementMessage(header.Sequence, ackedSequence, (SerialMessageType)ackedType, (FaultCode)result);
                return true;
            default:
                return Fail(out error, $"unknown message type 0x{(byte)header.Type:x2}");
        }
    }

    private static float[] ToFloats(double[] values) => Array.ConvertAll(values, v => (float)v);

    private static bool Fail(out string? error, string text)
    {
        error = text;
        return false;
    }

    private static void Check(bool condition, string text)
    {
        if (!condition)
            throw new ArgumentException(text);
    }
}
