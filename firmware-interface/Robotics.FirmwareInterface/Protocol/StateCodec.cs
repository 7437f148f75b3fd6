using Robotics.Contract;

namespace Robotics.FirmwareInterface.Protocol;

/// <summary>
/// The state message without allocation. Body: device time µs (u64), status flags (u32), joint count n (u16),
/// IMU present (u8), reserved (u8), commands received (u32), last command sequence (u32), positions f32[n], velocities f32[n], efforts f32[n], and when the IMU is
/// present quaternion w,x,y,z f32[4], angular velocity f32[3], linear acceleration f32[3].
/// </summary>
public static class StateCodec
{
    public const int FixedBodySize = 24;
    public const int ImuFloats = 10;

    public static int PayloadSize(int joints, bool hasImu) =>
        WireFormat.HeaderSize + FixedBodySize + 12 * joints + (hasImu ? 4 * ImuFloats : 0);

    /// <summary>Writes a state payload from float spans; <paramref name="imu"/> is empty or the 10 IMU floats in wire order.</summary>
    public static int Write(
        Span<byte> payload,
        uint sequence,
        ulong deviceTimeMicros,
        RobotStatusFlags status,
        uint commandsReceived,
        uint lastCommandSequence,
        ReadOnlySpan<float> positions,
        ReadOnlySpan<float> velocities,
        ReadOnlySpan<float> efforts,
        ReadOnlySpan<float> imu)
    {
        var joints = positions.Length;
        CheckCounts(joints, velocities.Length, efforts.Length);
        if (!imu.IsEmpty && imu.Length != ImuFloats)
            throw new ArgumentException($"IMU needs {ImuFloats} floats (quaternion, gyro, accel), got {imu.Length}", nameof(imu));

        var writer = BeginBody(payload, sequence, deviceTimeMicros, status, joints, !imu.IsEmpty, commandsReceived, lastCommandSequence);
        foreach (var value in positions)
            writer.F32(value);
        foreach (var value in velocities)
            writer.F32(value);
        foreach (var value in efforts)
            writer.F32(value);
        foreach (var value in imu)
            writer.F32(value);
        return writer.Length;
    }

    /// <summary>Writes a state payload from a <see cref="RobotState"/>, narrowing to float32; its sequence is the frame sequence.</summary>
    public static int Write(Span<byte> payload, RobotState state)
    {
        var joints = state.JointCount;
        CheckCounts(joints, joints, joints);
        var writer = BeginBody(payload, state.Sequence, state.DeviceTimeMicros, (RobotStatusFlags)state.StatusFlags, joints, state.HasImu,
            state.CommandsReceived, state.LastCommandSequence);
        foreach (var value in state.JointPositions)
            writer.F32(value);
        foreach (var value in state.JointVelocities)
            writer.F32(value);
        foreach (var value in state.JointEfforts)
            writer.F32(value);
        if (state.HasImu)
        {
            foreach (var value in state.ImuOrientation)
                writer.F32(value);
            foreach (var value in state.ImuAngularVelocity)
                writer.F32(value);
            foreach (var value in state.ImuLinearAcceleration)
                writer.F32(value);
        }

        return writer.Length;
    }

    /// <summary>Reads the joint count and IMU presence of a state payload; false when it is not a well-formed state.</summary>
    public static bool TryReadShape(ReadOnlySpan<byte> payload, out int joints, out bool hasImu)
    {
        joints = 0;
        hasImu = false;
        if (!SerialFrameHeader.TryRead(payload, out var header) || header.Type != SerialMessageType.State)
            return false;
        var reader = new PayloadReader(SerialFrameHeader.Body(payload));
        reader.U64();
        reader.U32();
        joints = reader.U16();
        var imuByte = reader.U8();
        reader.U8();
        hasImu = imuByte == 1;
        return reader.Ok && imuByte <= 1 && joints <= WireFormat.MaxJoints && payload.Length == PayloadSize(joints, hasImu);
    }

    /// <summary>
    /// Fills <paramref name="destination"/> from a state payload (sequence, device time, joints, IMU, status).
    /// False, with <paramref name="destination"/> partly written, when the payload is malformed or its joint count differs.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> payload, RobotState destination)
    {
        if (!TryReadShape(payload, out var joints, out var hasImu) || joints != destination.JointCount)
            return false;
        SerialFrameHeader.TryRead(payload, out var header);
        var reader = new PayloadReader(SerialFrameHeader.Body(payload));
        destination.Sequence = header.Sequence;
        destination.DeviceTimeMicros = reader.U64();
        destination.StatusFlags = reader.U32();
        destination.Lockstep = (destination.StatusFlags & (uint)RobotStatusFlags.Lockstep) != 0;
        reader.U16();
        reader.U8();
        reader.U8();
        destination.CommandsReceived = reader.U32();
        destination.LastCommandSequence = reader.U32();
        ReadInto(ref reader, destination.JointPositions);
        ReadInto(ref reader, destination.JointVelocities);
        ReadInto(ref reader, destination.JointEfforts);
        destination.HasImu = hasImu;
        if (hasImu)
        {
            ReadInto(ref reader, destination.ImuOrientation);
            ReadInto(ref reader, destination.ImuAngularVelocity);
            ReadInto(ref reader, destination.ImuLinearAcceleration);
        }

        return reader.Ok;
    }

    private static PayloadWriter BeginBody(
        Span<byte> payload, uint sequence, ulong time, RobotStatusFlags status, int joints, bool hasImu, uint commandsReceived, uint lastCommandSequence)
    {
        var writer = new PayloadWriter(payload);
        writer.Header(SerialMessageType.State, sequence);
        writer.U64(time);
        writer.U32((uint)status);
        writer.U16((ushort)joints);
        writer.U8(hasImu ? (byte)1 : (byte)0);
        writer.U8(0);
        writer.U32(commandsReceived);
        writer.U32(lastCommandSequence);
        return writer;
    }

    private static void ReadInto(ref PayloadReader reader, double[] destination)
    {
        for (var i = 0; i < destination.Length; i++)
            destination[i] = reader.F32();
    }

    private static void CheckCounts(int positions, int velocities, int efforts)
    {
        if (positions > WireFormat.MaxJoints)
            throw new ArgumentException($"{positions} joints exceed the protocol's {WireFormat.MaxJoints}");
        if (velocities != positions || efforts != positions)
            throw new ArgumentException($"joint arrays differ in length: {positions} positions, {velocities} velocities, {efforts} efforts");
    }
}
