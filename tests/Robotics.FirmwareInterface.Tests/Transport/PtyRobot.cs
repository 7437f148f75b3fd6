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

    private readonly PseudoTerminal _terminal;
    private readonly FirmwareLink _link;
    private readonly RobotState _state = new(2);
    private readonly Thread _thread;
    private readonly byte? _headerVersion;
    private readonly CommandFrameLoss? _loss;
    private volatile bool _stopping;

    public PtyRobot(string? linkPath = null, bool silent = false, byte? headerVersion = null, ulong contractHash = ContractHash, Func<bool>? loseCommand = null)
    {
        _loss = loseCommand is null ? null : new CommandFrameLoss(loseCommand);
        _terminal = PseudoTerminal.Open(linkPath);
        _headerVersion = headerVersion;
        var identity = new HandshakeMessage(0, true, WireFormat.ProtocolVersion, "echo-bot", contractHash, 2, 1, 100f, 100f, false);
        var limits = new FirmwareLimits([-10f], [10f], [0f], TimeSpan.FromSeconds(5));
        _link = new FirmwareLink(identity, new FirmwareRules(limits), this);
        Silent = silent;
        _thread = new Thread(Run) { IsBackground = true };
        _thread.Start();
    }

    public string DevicePath => _terminal.DevicePath;

    public bool Silent { get; }

    public long CommandsReceived => _link.CommandsReceived;

    public void Send(ReadOnlySpan<byte> frame)
    {
        if (Silent)
            return;
        if (_headerVersion is { } version)
        {
            // Re-frame with another protocol version in the header, as a newer firmware would send.
            var payload = new byte[WireFormat.MaxPayloadSize + WireFormat.CrcSize];
            FrameCodec.Decode(frame[..^1], payload, out var length);
            payload[0] = version;
            var reframed = new byte[WireFormat.MaxFrameSize];
            var frameLength = FrameCodec.Encode(payload.AsSpan(0, length), reframed);
            _terminal.Write(reframed.AsSpan(0, frameLength));
            return;
        }

        _terminal.Write(frame);
    }

    private void Run()
    {
        var buffer = new byte[4096];
        var commands = 0L;
        var linked = false;
        while (!_stopping)
        {
            var count = _terminal.Read(buffer, 10);
            var now = (ulong)Environment.TickCount64 * 1000;
            if (_loss is { } loss)
                loss.Receive(buffer.AsSpan(0, count), _link, now);
            else
                _link.Receive(buffer.AsSpan(0, count), now);
            if (_link.Linked && (!linked || _link.CommandsReceived != commands))
            {
                linked = true;
                commands = _link.CommandsReceived;
                _state.JointPositions[0] = _link.Rules.Targets[0];
                _state.JointVelocities[1] = commands;
                _link.SendState(_state, now);
            }
        }
    }

    /// <summary>Closes the master: the serial client sees the device vanish.</summary>
    public void Vanish()
    {
        _stopping = true;
        _thread.Join();
        _terminal.Close();
    }

    public void Dispose()
    {
        if (!_stopping)
            Vanish();
        _terminal.Dispose();
    }
}
