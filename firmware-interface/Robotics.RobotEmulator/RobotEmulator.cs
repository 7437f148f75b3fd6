using System.Diagnostics;
using Robotics.Contract;
using Robotics.FirmwareInterface.Firmware;
using Robotics.FirmwareInterface.Protocol;
using Robotics.FirmwareInterface.Transport;
using Robotics.Sim.Environments;
using Robotics.Sim.Tasks;

namespace Robotics.RobotEmulator;

/// <summary>
/// A robot as its firmware would present it over a serial line, with MuJoCo as the robot: opens a
/// pseudo-terminal (or a given serial device), answers the handshake, steps the simulation one control
/// period at a time in real time, applies commands under the firmware rules (watchdog, limits, emergency
/// stop) and streams state at the robot's control rate. Faults can be injected on the way out. Until the first
/// handshake the physics does not advance (unless <see cref="EmulatorOptions.FreeRun"/>): the robot waits for its
/// host in the initial state of its task.
/// </summary>
public sealed class RobotEmulator : IDisposable
{
    private readonly LoadedTask _task;
    private readonly EmulatorOptions _options;
    private readonly SimEnvironment _sim;
    private readonly BaseMotionLog? _truth;
    private readonly FirmwareLink _link;
    private readonly FaultInjectingSink _sink;
    private readonly CommandFrameLoss? _commandLoss;
    private readonly RobotState _state;
    private readonly RobotState _physical;
    private readonly double[] _stuckReading = new double[2];
    private readonly byte[] _buffer = new byte[4096];
    private readonly string? _requestedPath;
    private readonly bool _usesExistingDevice;
    private bool _stuckCaptured;
    private bool _released;
    private IByteChannel? _channel;
    private PseudoTerminal? _terminal;

    /// <param name="devicePath">
    /// An existing serial device to use (a USB adapter wired to the host), or a path at which a symbolic link to
    /// a new pseudo-terminal is made; null for a pseudo-terminal at its kernel name only.
    /// </param>
    public RobotEmulator(LoadedTask task, string? devicePath = null, EmulatorOptions? options = null)
    {
        _task = task;
        _options = options ?? new EmulatorOptions();
        _options.Faults.Validate();
        if (_options.LockstepTimeout <= TimeSpan.Zero)
            throw new ArgumentException($"lockstep timeout {_options.LockstepTimeout.TotalMilliseconds} ms must be positive");
        if (_options.Faults.StuckJoint is { } joint && (joint < 0 || joint >= task.RobotContract.Joints.Count))
            throw new ArgumentException($"stuck joint index {joint} is outside 0..{task.RobotContract.Joints.Count - 1}");
        _requestedPath = devicePath;
        _usesExistingDevice = devicePath is not null && devicePath.StartsWith("/dev/", StringComparison.Ordinal) && File.Exists(devicePath);
        var contract = task.RobotContract;
        _sim = new SimEnvironment(task, randomize: false);
        _sim.Reset(_options.Seed);
        _truth = _options.TruthPath is null ? null : new BaseMotionLog(_options.TruthPath, _sim);
        _state = new RobotState(contract.Joints.Count);
        _physical = new RobotState(contract.Joints.Count);
        _sink = new FaultInjectingSink(_options.Faults, _options.Seed);
        var identity = new HandshakeMessage(0, true, WireFormat.ProtocolVersion, contract.Robot, contract.ShortHash,
            contract.Joints.Count, contract.Actuators.Count, (float)contract.ControlRateHz, (float)contract.ControlRateHz, contract.HasImu);
        if (_options.Faults.CommandDropRate > 0)
        {
            // A generator of its own (seeded apart from the sink's), so that the faults on frames from the robot
            // stay as they were for a seed.
            var random = new Random(unchecked(_options.Seed + 0x3C6E_F372));
            _commandLoss = new CommandFrameLoss(() => random.NextDouble() < _options.Faults.CommandDropRate);
        }

        _link = new FirmwareLink(identity, new FirmwareRules(EmulatedRobotTask.Limits(contract, _options.WatchdogTimeout)), _sink) { Lockstep = _options.Lockstep };
    }

    /// <summary>The path a host opens.</summary>
    public string DevicePath => _terminal?.DevicePath ?? _requestedPath ?? throw new InvalidOperationException("start the emulator first");

    public RobotContract Contract => _task.RobotContract;

    public FirmwareRules Rules => _link.Rules;

    public FaultInjectingSink Faults => _sink;

    public FirmwareLink Link => _link;

    /// <summary>Command frames from the host lost on the way in (<see cref="FaultInjectionOptions.CommandDropRate"/>).</summary>
    public long CommandsDropped => _commandLoss?.CommandsLost ?? 0;

    /// <summary>Simulation time, seconds.</summary>
    public double SimulatedSeconds => _sim.Data.Time;

    /// <summary>The newest state sent (or that would have been sent), for tests and reports.</summary>
    public RobotState State => _state;

    /// <summary>A joint's simulated position as it is, whatever an injected sensor fault makes the robot report.</summary>
    public double PhysicalJointPosition(int joint) => Volatile.Read(ref _physical.JointPositions[joint]);

    public bool Disconnected { get; private set; }

    /// <summary>Whether the physics runs: from the host's first active command after its handshake, or from the start with <see cref="EmulatorOptions.FreeRun"/>.</summary>
    public bool Released => Volatile.Read(ref _released);

    /// <summary>Whether the host has configured a baud rate other than the firmware's.</summary>
    public bool BaudRateMismatch { get; private set; }

    /// <summary>Opens the device. After this, <see cref="DevicePath"/> is where the host connects.</summary>
    public void Start()
    {
        if (_usesExistingDevice)
            _channel = SerialDevice.Open(_requestedPath!, _options.BaudRate);
        else
            _channel = _terminal = PseudoTerminal.Open(_requestedPath);
        _sink.Channel = _channel;
    }

    /// <summary>Runs in real time (or in lockstep, see <see cref="EmulatorOptions.Lockstep"/>) until cancelled or until <paramref name="duration"/> has passed.</summary>
    public void Run(CancellationToken cancel, TimeSpan? duration = null)
    {
        if (_channel is null)
            Start();
        var period = _sim.ControlDt;
        var started = Stopwatch.GetTimestamp();
        var faults = _options.Faults;
        long tick = 0;
        while (!cancel.IsCancellationRequested)
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (duration is { } limit && elapsed >= limit)
                break;
            var robotTime = _options.Lockstep ? TimeSpan.FromSeconds(_sim.Data.Time) : elapsed;
            ScheduleConnection(robotTime, faults);

            CheckBaudRate();
            _link.Tick(Clock(started));
            // Held from power-up until the host has linked and sent its first active command (released at the handshake,
            // the robot moved under its safe-state targets until then: a jolt on a legged robot); after that it runs on
            // even if the host goes away, as a real one would.
            _released |= _options.FreeRun || (_link.Linked && _link.Rules.Status.HasFlag(RobotStatusFlags.Active));
            if (_released)
            {
                _sim.StepControlPeriod(_link.Rules.Targets);
                _truth?.Record(robotTime.TotalSeconds);
            }
            _sim.ReadState(_state);
            _sim.ReadState(_physical);
            ApplyStuckSensor(robotTime, faults);
            var linked = _link.Linked;
            _link.SendState(_state, Clock(started));
            tick++;

            if (_options.Lockstep && linked)
            {
                // Until the host answers this state (or gives no answer in time, as when the frame was lost).
                var giveUp = Stopwatch.GetTimestamp() + (long)(_options.LockstepTimeout.TotalSeconds * Stopwatch.Frequency);
                var answered = _state.Sequence;
                Serve(giveUp, started, () => _link.LastAnsweredStateSequence == answered, cancel);
            }
            else
            {
                // Until the next period: take commands as they arrive, send delayed frames as they fall due.
                Serve(started + (long)(tick * period * Stopwatch.Frequency), started, () => false, cancel);
            }
        }
    }

    // Reads and applies the host's frames until the deadline (a Stopwatch timestamp) or until done() holds.
    private void Serve(long deadline, long started, Func<bool> done, CancellationToken cancel)
    {
        while (!cancel.IsCancellationRequested && !done())
        {
            var left = deadline - Stopwatch.GetTimestamp();
            if (left <= 0)
                break;
            var waitMilliseconds = (int)Math.Min(left * 1000 / Stopwatch.Frequency, 5);
            var count = _channel is null ? Sleep(waitMilliseconds) : _channel.Read(_buffer, waitMilliseconds);
            if (count > 0 && !CheckBaudRate())
            {
                if (_commandLoss is { } loss)
                    loss.Receive(_buffer.AsSpan(0, count), _link, Clock(started));
                else
                    _link.Receive(_buffer.AsSpan(0, count), Clock(started));
            }
            // The watchdog runs between periods too, so a lost link is acted on within milliseconds of the timeout.
            _link.Tick(Clock(started));
            _sink.Flush();
        }
    }

    public void Dispose()
    {
        _channel?.Dispose();
        _truth?.Dispose();
        _sim.Dispose();
    }

    private void ScheduleConnection(TimeSpan elapsed, FaultInjectionOptions faults)
    {
        if (faults.DisconnectAt is not { } at)
            return;
        if (!Disconnected && _channel is not null && elapsed >= at && (faults.ReconnectAfter is null || elapsed < at + faults.ReconnectAfter))
        {
            // The cable is pulled: the host sees the device vanish; this side keeps running its watchdog.
            Disconnected = true;
            _sink.Channel = null;
            if (_terminal is not null)
                _terminal.Close();
            else
                _channel.Dispose();
            _channel = null;
        }
        else if (Disconnected && faults.ReconnectAfter is { } after && elapsed >= at + after && !_usesExistingDevice)
        {
            _terminal?.Dispose();
            _channel = _terminal = PseudoTerminal.Open(_requestedPath);
            _sink.Channel = _channel;
            _link.Decoder.Reset();
            _commandLoss?.Reset();
            Disconnected = false;
        }
    }

    // A host at another baud rate sees noise, and its bytes are noise to this side. Returns whether they differ.
    private bool CheckBaudRate()
    {
        BaudRateMismatch = _terminal?.ClientBaudRate() is { } hostBaud && hostBaud != _options.BaudRate;
        _sink.Garble = BaudRateMismatch;
        return BaudRateMismatch;
    }

    // A stuck sensor repeats its last reading while the joint itself moves on.
    private void ApplyStuckSensor(TimeSpan elapsed, FaultInjectionOptions faults)
    {
        if (faults.StuckJoint is not { } joint || elapsed < faults.StuckSensorAt)
            return;
        if (!_stuckCaptured)
        {
            _stuckReading[0] = _state.JointPositions[joint];
            _stuckReading[1] = _state.JointVelocities[joint];
            _stuckCaptured = true;
        }

        _state.JointPositions[joint] = _stuckReading[0];
        _state.JointVelocities[joint] = _stuckReading[1];
    }

    private static int Sleep(int milliseconds)
    {
        Thread.Sleep(milliseconds);
        return 0;
    }

    // The firmware's clock: wall-clock time since the start, or simulated time in lockstep.
    private ulong Clock(long started) => _options.Lockstep
        ? (ulong)(_sim.Data.Time * 1e6)
        : (ulong)(Stopwatch.GetElapsedTime(started).Ticks / 10);
}
