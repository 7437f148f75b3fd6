namespace Robotics.FirmwareInterface.Protocol;

/// <summary>
/// A decoded message, for code off the control path (handshake, faults, tests, tools). The control path
/// uses <see cref="StateCodec"/> and <see cref="CommandCodec"/>, which do not allocate.
/// </summary>
public abstract record ProtocolMessage(uint Sequence)
{
    public abstract SerialMessageType Type { get; }
}

/// <summary>Handshake, sent by the host as a request and by the robot as its response; the same body both ways.</summary>
public sealed record HandshakeMessage(
    uint Sequence,
    bool IsResponse,
    ushort ProtocolVersion,
    string RobotName,
    ulong ContractHash,
    int JointCount,
    int ActuatorCount,
    float StateRateHz,
    float ControlRateHz,
    bool HasImu) : ProtocolMessage(Sequence)
{
    public override SerialMessageType Type => IsResponse ? SerialMessageType.HandshakeResponse : SerialMessageType.HandshakeRequest;
}

/// <summary>IMU sample: quaternion (w, x, y, z), angular velocity rad/s, specific force m/s², all in the IMU frame.</summary>
public sealed record ImuReading(float[] Orientation, float[] AngularVelocity, float[] LinearAcceleration);

/// <summary>Robot state: joint positions (rad or m), velocities (rad/s or m/s), efforts (N·m or N).</summary>
public sealed record StateMessage(
    uint Sequence,
    ulong DeviceTimeMicros,
    RobotStatusFlags Status,
    float[] Positions,
    float[] Velocities,
    float[] Efforts,
    ImuReading? Imu) : ProtocolMessage(Sequence)
{
    public override SerialMessageType Type => SerialMessageType.State;

    /// <summary>Command frames the robot has received intact, wrapping at 2³²: the host compares it with what it wrote.</summary>
    public uint CommandsReceived { get; init; }

    /// <summary>Header sequence of the newest command frame the robot received.</summary>
    public uint LastCommandSequence { get; init; }
}

/// <summary>Per-actuator targets in the contract's actuator order and units, answering state <see cref="StateSequence"/>.</summary>
public sealed record CommandMessage(uint Sequence, uint StateSequence, CommandMode Mode, float[] Targets) : ProtocolMessage(Sequence)
{
    public override SerialMessageType Type => SerialMessageType.Command;
}

/// <summary>Keep-alive carrying the sender's clock in microseconds; the robot acknowledges it.</summary>
public sealed record HeartbeatMessage(uint Sequence, ulong SenderTimeMicros) : ProtocolMessage(Sequence)
{
    public override SerialMessageType Type => SerialMessageType.Heartbeat;
}

/// <summary>A fault: code, a code-specific detail (for example the actuator index, 0xFFFF when none) and readable text.</summary>
public sealed record FaultMessage(uint Sequence, FaultCode Code, ushort Detail, string Text) : ProtocolMessage(Sequence)
{
    public const ushort NoDetail = 0xFFFF;

    public override SerialMessageType Type => SerialMessageType.Fault;
}

/// <summary>Go to the safe state now and stay there until the next handshake.</summary>
public sealed record EmergencyStopMessage(uint Sequence, FaultCode Reason) : ProtocolMessage(Sequence)
{
    public override SerialMessageType Type => SerialMessageType.EmergencyStop;
}

/// <summary>Answer to a frame that asks for one (emergency stop, heartbeat): which frame, and the result (None = accepted).</summary>
public sealed record AcknowledgementMessage(uint Sequence, uint AcknowledgedSequence, SerialMessageType AcknowledgedType, FaultCode Result)
    : ProtocolMessage(Sequence)
{
    public override SerialMessageType Type => SerialMessageType.Acknowledgement;
}
