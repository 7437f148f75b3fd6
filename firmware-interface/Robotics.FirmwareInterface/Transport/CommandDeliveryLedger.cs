namespace Robotics.FirmwareInterface.Transport;

/// <summary>
/// Counts the commands lost on the way to the robot: written by this host, never received by the robot. Each state
/// says how many commands the robot has received (a wrapping count) and the header sequence of the newest; every
/// command written up to that frame has then arrived or been lost, so
/// lost = (commands written up to that frame) − (the robot's count since the baseline), exact at every state
/// whatever is still in flight (docs/serial-protocol.md, "Commands received"). The baseline is the first state
/// after each handshake, so a robot that restarted (its count from zero) or a reconnect does not count as losses.
/// Not thread-safe; does not allocate after construction.
/// </summary>
public sealed class CommandDeliveryLedger
{
    /// <summary>Commands remembered while in flight; a state naming an older one is not judged.</summary>
    public const int Capacity = 64;

    private readonly uint[] sequences = new uint[Capacity];
    private readonly long[] writtenThrough = new long[Capacity];
    private int next;
    private int remembered;
    private long written;
    private bool baselinePending = true;
    private long baselineWritten;
    private uint baselineCount;
    private long lostInEarlierLinks;
    private long lostInThisLink;

    /// <summary>Commands written and never received by the robot, over every link so far.</summary>
    public long Lost => lostInEarlierLinks + lostInThisLink;

    /// <summary>A command frame of header sequence <paramref name="sequence"/> was written to the line.</summary>
    public void OnWritten(uint sequence)
    {
        written++;
        sequences[next] = sequence;
        writtenThrough[next] = written;
        next = (next + 1) % Capacity;
        remembered = Math.Min(remembered + 1, Capacity);
    }

    /// <summary>The robot answered a handshake: the next state sets a new baseline.</summary>
    public void OnLinked()
    {
        lostInEarlierLinks += lostInThisLink;
        lostInThisLink = 0;
        baselinePending = true;
    }

    /// <summary>A state arrived saying the robot has received <paramref name="commandsReceived"/> commands, the newest of frame <paramref name="lastCommandSequence"/>.</summary>
    public void OnState(uint commandsReceived, uint lastCommandSequence)
    {
        if (baselinePending)
        {
            // Commands written before the baseline are not judged: one still on the line would count as received
            // below and hide a later loss, so a loss can be missed at a reconnect but never invented.
            baselinePending = false;
            baselineCount = commandsReceived;
            baselineWritten = this.written;
            remembered = 0;
            return;
        }

        var received = commandsReceived - baselineCount;
        if (received == 0 || !TryWrittenThrough(lastCommandSequence, out var written))
            return;
        lostInThisLink = Math.Max(0, written - baselineWritten - received);
    }

    private bool TryWrittenThrough(uint sequence, out long written)
    {
        for (var i = 1; i <= remembered; i++)
        {
            var slot = (next - i + Capacity) % Capacity;
            if (sequences[slot] == sequence)
            {
                written = writtenThrough[slot];
                return true;
            }
        }

        written = 0;
        return false;
    }
}
