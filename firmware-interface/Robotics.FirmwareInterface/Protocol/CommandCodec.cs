namespace Robotics.FirmwareInterface.Protocol;

/// <summary>
/// The command message without allocation. Body: answered state sequence (u32), mode (u8), reserved (u8),
/// actuator count m (u16), targets f32[m] in the contract's actuator order and units.
/// </summary>
public static class CommandCodec
{
    public const int FixedBodySize = 8;

    public static int PayloadSize(int actuators) => WireFormat.HeaderSize + FixedBodySize + 4 * actuators;

    public static int Write(Span<byte> payload, uint sequence, uint stateSequence, CommandMode mode, ReadOnlySpan<float> targets)
    {
        if (targets.Length > WireFormat.MaxActuators)
            throw new ArgumentException($"{targets.Length} actuators exceed the protocol's {WireFormat.MaxActuators}", nameof(targets));
        var writer = new PayloadWriter(payload);
        writer.Header(SerialMessageType.Command, sequence);
        writer.U32(stateSequence);
        writer.U8((byte)mode);
        writer.U8(0);
        writer.U16((ushort)targets.Length);
        foreach (var target in targets)
            writer.F32(target);
        return writer.Length;
    }

    /// <summary>
    /// Reads a command payload; targets go to the front of <paramref name="targets"/> and <paramref name="actuators"/> says how many.
    /// False when malformed or when there are more targets than <paramref name="targets"/> holds.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> payload, out uint stateSequence, out CommandMode mode, Span<float> targets, out int actuators)
    {
        stateSequence = 0;
        mode = CommandMode.Safe;
        actuators = 0;
        if (!SerialFrameHeader.TryRead(payload, out var header) || header.Type != SerialMessageType.Command)
            return false;
        var reader = new PayloadReader(SerialFrameHeader.Body(payload));
        stateSequence = reader.U32();
        var modeByte = reader.U8();
        reader.U8();
        actuators = reader.U16();
        if (!reader.Ok || modeByte > (byte)CommandMode.Active || actuators > WireFormat.MaxActuators
            || actuators > targets.Length || payload.Length != PayloadSize(actuators))
            return false;
        mode = (CommandMode)modeByte;
        for (var i = 0; i < actuators; i++)
            targets[i] = reader.F32();
        return reader.Ok;
    }
}
