using Robotics.Contract;

namespace Robotics.Runtime.Transport;

/// <summary>
/// A link to a robot as the runtime sees it: the serial line to real firmware, a simulated robot stepped in
/// wall-clock time, an in-process stand-in. A new kind of link (CAN, UDP, EtherCAT) is one class implementing this
/// and one entry in a <see cref="RobotLinkCatalog"/>. Methods used inside the control tick do not allocate.
/// </summary>
public interface IRobotTransport : IDisposable
{
    /// <summary>
    /// Opens the link and exchanges handshakes. Throws <see cref="RobotLinkException"/> with a message that
    /// says what failed (no such port, no answer at this baud rate, wrong protocol version) and what to try.
    /// </summary>
    RobotHandshake Open(TimeSpan timeout);

    /// <summary>Copies the newest state received into <paramref name="destination"/>; false when none has arrived yet.</summary>
    bool TryReadLatestState(RobotState destination);

    /// <summary>Sends per-actuator targets in the contract's actuator order and units, answering state <paramref name="stateSequence"/>.</summary>
    void SendCommand(uint stateSequence, ReadOnlySpan<float> targets);

    /// <summary>Tells the robot to go to its safe state now.</summary>
    void SendEmergencyStop();

    /// <summary>Counters of the link (frames good and bad, reconnects, last fault).</summary>
    LinkStatistics Statistics { get; }
}

/// <summary>What a robot says about itself when the link opens.</summary>
public sealed record RobotHandshake(
    ushort ProtocolVersion,
    string RobotName,
    ulong ContractHash,
    int JointCount,
    int ActuatorCount,
    double StateRateHz,
    double ControlRateHz)
{
    /// <summary>Whether the robot's state frames carry an IMU reading.</summary>
    public bool HasImu { get; init; }
}

/// <summary>Link counters, readable at any time.</summary>
public sealed class LinkStatistics
{
    public long FramesReceived;
    public long FramesSent;
    public long BadChecksums;
    public long MalformedFrames;
    /// <summary>Frames from the robot that never arrived here, counted from gaps in their sequence numbers.</summary>
    public long SequenceGaps;
    public long Reconnects;
    /// <summary>The last fault code the robot reported (its protocol's numbering); 0 for none.</summary>
    public uint LastFaultCode;
    public string? LastFault;

    /// <summary>
    /// Whether the link itself is gone (device unplugged, robot replaced by another): nothing sent arrives, so the
    /// control loop stops at once instead of waiting for its watchdog. Cleared when the same robot answers again.
    /// </summary>
    public volatile bool LinkLost;

    /// <summary>Blocks longer than any frame, dropped.</summary>
    public long OversizeFrames;

    /// <summary>Frames that could not be written (device gone or its queue full).</summary>
    public long SendFailures;

    /// <summary>
    /// Commands written to the link that the robot never received (lost or damaged on the line), from the count of
    /// commands received that the robot reports in its states; 0 for links without one.
    /// </summary>
    public long CommandsNotReceived;

    /// <summary>Whether the device is open and has answered its handshake; false while it is gone.</summary>
    public volatile bool Connected;
}

/// <summary>A robot link that cannot be used, with what to do about it.</summary>
public sealed class RobotLinkException(string message, Exception? inner = null) : Exception(message, inner);
