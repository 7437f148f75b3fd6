using Robotics.FirmwareInterface.Protocol;

namespace Robotics.FirmwareInterface.Firmware;

/// <summary>
/// A lossy line from the host to a <see cref="FirmwareLink"/>, for the emulator's fault injection and for tests:
/// passes the host's bytes on a frame at a time and loses the command frames that <paramref name="lose"/> picks
/// (asked once per intact command frame, in order), as noise on the line would. Only the robot's count of commands
/// received, reported in its states, tells the host about them.
/// </summary>
public sealed class CommandFrameLoss(Func<bool> lose)
{
    private readonly byte[] block = new byte[WireFormat.MaxFrameSize];
    private readonly byte[] payload = new byte[WireFormat.MaxPayloadSize + WireFormat.CrcSize];
    private int length;

    /// <summary>Command frames lost so far.</summary>
    public long CommandsLost { get; private set; }

    /// <summary>Feeds received bytes towards <paramref name="link"/>, less the lost commands; a partial frame waits for its delimiter.</summary>
    public void Receive(ReadOnlySpan<byte> bytes, FirmwareLink link, ulong nowMicros)
    {
        foreach (var value in bytes)
        {
            block[length++] = value;
            if (value != WireFormat.Delimiter && length < block.Length)
                continue;
            var frame = block.AsSpan(0, length);
            length = 0;
            if (value == WireFormat.Delimiter && IsCommand(frame[..^1]) && lose())
            {
                CommandsLost++;
                continue;
            }

            // Everything else, an oversize block included, goes on as it came: the link counts what it cannot use.
            link.Receive(frame, nowMicros);
        }
    }

    /// <summary>Forgets a partial frame (the line was cut).</summary>
    public void Reset() => length = 0;

    private bool IsCommand(ReadOnlySpan<byte> block) =>
        FrameCodec.Decode(block, payload, out var length) == FrameStatus.Ok
        && SerialFrameHeader.TryRead(payload.AsSpan(0, length), out var header)
        && header.Type == SerialMessageType.Command;
}
