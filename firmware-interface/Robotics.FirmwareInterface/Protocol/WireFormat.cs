namespace Robotics.FirmwareInterface.Protocol;

/// <summary>
/// Fixed numbers of the serial protocol (docs/serial-protocol.md). The C implementation in
/// firmware-interface/c/rl_protocol.h carries the same values.
/// </summary>
public static class WireFormat
{
    /// <summary>
    /// Protocol version carried in every frame header and in the handshake. Version 2 added the robot's count of
    /// commands received to the state body, which changed its layout.
    /// </summary>
    public const byte ProtocolVersion = 2;

    /// <summary>Bytes before the body: version (u8), type (u8), sequence (u32).</summary>
    public const int HeaderSize = 6;

    /// <summary>CRC-32/ISO-HDLC, appended little-endian after the payload, before COBS.</summary>
    public const int CrcSize = 4;

    /// <summary>Largest payload (header and body) a receiver must accept.</summary>
    public const int MaxPayloadSize = 1024;

    /// <summary>Largest COBS-encoded frame including its zero delimiter.</summary>
    public const int MaxFrameSize = MaxPayloadSize + CrcSize + (MaxPayloadSize + CrcSize + 253) / 254 + 1;

    public const int MaxJoints = 64;
    public const int MaxActuators = 64;
    public const int MaxNameBytes = 32;
    public const int MaxFaultTextBytes = 96;

    public const byte Delimiter = 0;
}

/// <summary>Message types, the second byte of every payload.</summary>
public enum SerialMessageType : byte
{
    HandshakeRequest = 0x01,
    HandshakeResponse = 0x02,
    State = 0x03,
    Command = 0x04,
    Heartbeat = 0x05,
    Fault = 0x06,
    EmergencyStop = 0x07,
    Acknowledgement = 0x08,
}

/// <summary>What a command's targets mean.</summary>
public enum CommandMode : byte
{
    /// <summary>Put the actuators in their safe state; targets are ignored.</summary>
    Safe = 0,

    /// <summary>Apply each target in the unit the contract gives its actuator (N·m, N, rad, m, rad/s, m/s).</summary>
    Active = 1,
}

/// <summary>Status bits of a state frame.</summary>
[Flags]
public enum RobotStatusFlags : uint
{
    None = 0,
    Linked = 1u << 0,
    Active = 1u << 1,
    SafeState = 1u << 2,
    WatchdogExpired = 1u << 3,
    EmergencyStop = 1u << 4,
    CommandClamped = 1u << 5,
    CommandRejected = 1u << 6,

    /// <summary>The robot steps only once its host has answered its latest state (an emulator in lockstep); firmware never sets it.</summary>
    Lockstep = 1u << 7,
}

/// <summary>Fault and result codes (fault frames, acknowledgements, emergency-stop reasons).</summary>
public enum FaultCode : ushort
{
    None = 0,
    ProtocolVersionMismatch = 1,
    WatchdogExpired = 2,
    CommandClamped = 3,
    CommandRejected = 4,
    NotLinked = 5,
    EmergencyStop = 6,
    MalformedFrame = 7,
    OperatorRequest = 8,
    LinkLost = 9,
}
