namespace Robotics.Contract;

/// <summary>
/// The latest measured state of a robot in the contract's joint order and SI units. The same type is
/// filled from MuJoCo in simulation and from the serial link on hardware, so that one piece of code
/// builds observations for both. Preallocated; <see cref="CopyTo"/> does not allocate.
/// </summary>
public sealed class RobotState
{
    public RobotState(int joints)
    {
        JointPositions = new double[joints];
        JointVelocities = new double[joints];
        JointEfforts = new double[joints];
    }

    /// <summary>Sequence number the robot gave this state (commands answer it).</summary>
    public uint Sequence { get; set; }

    /// <summary>The robot's own clock, microseconds.</summary>
    public ulong DeviceTimeMicros { get; set; }

    /// <summary>When this host received it, in <see cref="System.Diagnostics.Stopwatch"/> ticks.</summary>
    public long ReceivedTicks { get; set; }

    public double[] JointPositions { get; }
    public double[] JointVelocities { get; }
    public double[] JointEfforts { get; }

    public bool HasImu { get; set; }

    /// <summary>Orientation of the IMU in the world frame, quaternion (w, x, y, z).</summary>
    public double[] ImuOrientation { get; } = [1, 0, 0, 0];

    /// <summary>Angular velocity in the IMU frame, rad/s.</summary>
    public double[] ImuAngularVelocity { get; } = new double[3];

    /// <summary>Specific force in the IMU frame, m/s².</summary>
    public double[] ImuLinearAcceleration { get; } = new double[3];

    /// <summary>Robot status bits as the firmware reports them.</summary>
    public uint StatusFlags { get; set; }

    /// <summary>
    /// Command frames the robot has received intact, as it counts them (wrapping at 2³², from any start): against
    /// what the host wrote, the commands lost on the way to the robot. 0 where the robot has no such count (simulation).
    /// </summary>
    public uint CommandsReceived { get; set; }

    /// <summary>Header sequence of the newest command frame the robot received (meaningful once it received one).</summary>
    public uint LastCommandSequence { get; set; }

    /// <summary>
    /// Whether the robot steps only once its host has answered this state (an emulated robot in lockstep, as its
    /// status flags say): it does not move on while it waits, so a late next state is not a stale robot.
    /// </summary>
    public bool Lockstep { get; set; }

    public int JointCount => JointPositions.Length;

    public void CopyTo(RobotState other)
    {
        if (other.JointCount != JointCount)
            throw new ArgumentException($"cannot copy a state of {JointCount} joints into one of {other.JointCount}", nameof(other));
        other.Sequence = Sequence;
        other.DeviceTimeMicros = DeviceTimeMicros;
        other.ReceivedTicks = ReceivedTicks;
        JointPositions.CopyTo(other.JointPositions, 0);
        JointVelocities.CopyTo(other.JointVelocities, 0);
        JointEfforts.CopyTo(other.JointEfforts, 0);
        other.HasImu = HasImu;
        ImuOrientation.CopyTo(other.ImuOrientation, 0);
        ImuAngularVelocity.CopyTo(other.ImuAngularVelocity, 0);
        ImuLinearAcceleration.CopyTo(other.ImuLinearAcceleration, 0);
        other.StatusFlags = StatusFlags;
        other.CommandsReceived = CommandsReceived;
        other.LastCommandSequence = LastCommandSequence;
        other.Lockstep = Lockstep;
    }
}
