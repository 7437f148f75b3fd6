using Robotics.Contract;
using Robotics.FirmwareInterface.Firmware;
using Robotics.FirmwareInterface.Protocol;
using Robotics.FirmwareInterface.Transport;

namespace Robotics.FirmwareInterface.Tests.Transport;

/// <summary>
/// A minimal robot at the master side of a pseudo-terminal: runs <see cref="FirmwareLink"/> and answers every
/// command with a state whose joint positions echo the command's targets. With <c>loseCommand</c>, the line loses
/// the command frames it picks before the firmware sees them.
/// </summary>
internal sealed class PtyRobot : IDisposable, IFrameSink
{
    public const ulong ContractHash = 0x8f3a5c7e91d20b46;

    private readonly PseudoTerminal terminal;
    private readonly FirmwareLink link;
    private readonly RobotState state = new(2);
    private readonly Thread thread;
    private readonly byte? headerVersion;
    private readonly CommandFrameLoss? loss;
    private volatile bool stopping;

    public PtyRobot(string? linkPath = null, bool silent = false, byte? headerVersion = null, ulong contractHash = ContractHash, Func<bool>? loseCommand = null)
    {
        loss = loseCommand is null ? null : new CommandFrameLoss(loseCommand);
        terminal = PseudoTerminal.Open(linkPath);
        this.headerVersion = headerVersion;
        var identity = new HandshakeMessage(0, true, WireFormat.ProtocolVersion, "echo-bot", contractHash, 2, 1, 100f, 100f, false);
        var limits = new FirmwareLimits([-10f], [10f], [0f], TimeSpan.FromSeconds(5));
        link = new FirmwareLink(identity, new FirmwareRules(limits), this);
        Silent = silent;
        thread = new Thread(Run) { IsBackground = true };
        thread.Start();
    }

    public string DevicePath => terminal.DevicePath;

    public bool Silent { get; }

    public long CommandsReceived => link.CommandsReceived;

    public void Send(ReadOnlySpan<byte> frame)
    {
        if (Silent)
            return;
        if (headerVersion is { } version)
        {
            // Re-frame with another protocol version in the header, as a newer firmware would send.
            var payload = new byte[WireFormat.MaxPayloadSize + WireFormat.CrcSize];
            FrameCodec.Decode(frame[..^1], payload, out var length);
            payload[0] = version;
            var reframed = new byte[WireFormat.MaxFrameSize];
            var frameLength = FrameCodec.Encode(payload.AsSpan(0, length), reframed);
            terminal.Write(reframed.AsSpan(0, frameLength));
            return;
        }

        terminal.Write(frame);
    }

    private void Run()
    {
        var buffer = new byte[4096];
        var commands = 0L;
        var linked = false;
        while (!stopping)
        {
            var count = terminal.Read(buffer, 10);
            var now = (ulong)Environment.TickCount64 * 1000;
            if (this.loss is { } loss)
                loss.Receive(buffer.AsSpan(0, count), link, now);
            else
                link.Receive(buffer.AsSpan(0, count), now);
            if (link.Linked && (!linked || link.CommandsReceived != commands))
            {
                linked = true;
                commands = link.CommandsReceived;
                state.JointPositions[0] = link.Rules.Targets[0];
                state.JointVelocities[1] = commands;
                link.SendState(state, now);
            }
        }
    }

    /// <summary>Closes the master: the serial client sees the device vanish.</summary>
    public void Vanish()
    {
        stopping = true;
        thread.Join();
        terminal.Close();
    }

    public void Dispose()
    {
        if (!stopping)
            Vanish();
        terminal.Dispose();
    }
}
