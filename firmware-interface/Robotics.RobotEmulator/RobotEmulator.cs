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
    private readonly LoadedTask task;
    private readonly EmulatorOptions options;
    private readonly SimEnvironment sim;
    private readonly BaseMotionLog? truth;
    private readonly FirmwareLink link;
    private readonly FaultInjectingSink sink;
    private readonly CommandFrameLoss? commandLoss;
    private readonly RobotState state;
    private readonly RobotState physical;
    private readonly double[] stuckReading = new double[2];
    private readonly byte[] buffer = new byte[4096];
    private readonly string? requestedPath;
    private readonly bool usesExistingDevice;
    private bool stuckCaptured;
    private bool released;
    private IByteChannel? channel;
    private PseudoTerminal? terminal;

    /// <param name="devicePath">
    /// An existing serial device to use (a USB adapter wired to the host), or a path at which a symbolic link to
    /// a new pseudo-terminal is made; null for a pseudo-terminal at its kernel name only.
    /// </param>
    public RobotEmulator(LoadedTask task, string? devicePath = null, EmulatorOptions? options = null)
    {
        this.task = task;
        this.options = options ?? new EmulatorOptions();
        this.options.Faults.Validate();
        if (this.options.LockstepTimeout <= TimeSpan.Zero)
            throw new ArgumentException($"lockstep timeout {this.options.LockstepTimeout.TotalMilliseconds} ms must be positive");
        if (this.options.Faults.StuckJoint is { } joint && (joint < 0 || joint >= task.RobotContract.Joints.Count))
            throw new ArgumentException($"stuck joint index {joint} is outside 0..{task.RobotContract.Joints.Count - 1}");
        requestedPath = devicePath;
        usesExistingDevice = devicePath is not null && devicePath.StartsWith("/dev/", StringComparison.Ordinal) && File.Exists(devicePath);
        var contract = task.RobotContract;
        sim = new SimEnvironment(task, randomize: false);
        sim.Reset(this.options.Seed);
        truth = this.options.TruthPath is null ? null : new BaseMotionLog(this.options.TruthPath, sim);
        state = new RobotState(contract.Joints.Count);
        physical = new RobotState(contract.Joints.Count);
        sink = new FaultInjectingSink(this.options.Faults, this.options.Seed);
        var identity = new HandshakeMessage(0, true, WireFormat.ProtocolVersion, contract.Robot, contract.ShortHash,
            contract.Joints.Count, contract.Actuators.Count, (float)contract.ControlRateHz, (float)contract.ControlRateHz, contract.HasImu);
        if (this.options.Faults.CommandDropRate > 0)
        {
            // A generator of its own (seeded apart from the sink's), so that the faults on frames from the robot
            // stay as they were for a seed.
            var random = new Random(unchecked(this.options.Seed + 0x3C6E_F372));
            commandLoss = new CommandFrameLoss(() => random.NextDouble() < this.options.Faults.CommandDropRate);
        }

        link = new FirmwareLink(identity, new FirmwareRules(EmulatedRobotTask.Limits(contract, this.options.WatchdogTimeout)), sink) { Lockstep = this.options.Lockstep };
    }

    /// <summary>The path a host opens.</summary>
    public string DevicePath => terminal?.DevicePath ?? requestedPath ?? throw new InvalidOperationException("start the emulator first");

    public RobotContract Contract => task.RobotContract;

    public FirmwareRules Rules => link.Rules;

    public FaultInjectingSink Faults => sink;

    public FirmwareLink Link => link;

    /// <summary>Command frames from the host lost on the way in (<see cref="FaultInjectionOptions.CommandDropRate"/>).</summary>
    public long CommandsDropped => commandLoss?.CommandsLost ?? 0;

    /// <summary>Simulation time, seconds.</summary>
    public double SimulatedSeconds => sim.Data.Time;

    /// <summary>The newest state sent (or that would have been sent), for tests and reports.</summary>
    public RobotState State => state;

    /// <summary>A joint's simulated position as it is, whatever an injected sensor fault makes the robot report.</summary>
    public double PhysicalJointPosition(int joint) => Volatile.Read(ref physical.JointPositions[joint]);

    public bool Disconnected { get; private set; }

    /// <summary>Whether the physics runs: from the host's first active command after its handshake, or from the start with <see cref="EmulatorOptions.FreeRun"/>.</summary>
    public bool Released => Volatile.Read(ref released);

    /// <summary>Whether the host has configured a baud rate other than the firmware's.</summary>
    public bool BaudRateMismatch { get; private set; }

    /// <summary>Opens the device. After this, <see cref="DevicePath"/> is where the host connects.</summary>
    public void Start()
    {
        if (usesExistingDevice)
            channel = SerialDevice.Open(requestedPath!, options.BaudRate);
        else
            channel = terminal = PseudoTerminal.Open(requestedPath);
        sink.Channel = channel;
    }

    /// <summary>Runs in real time (or in lockstep, see <see cref="EmulatorOptions.Lockstep"/>) until cancelled or until <paramref name="duration"/> has passed.</summary>
    public void Run(CancellationToken cancel, TimeSpan? duration = null)
    {
        if (channel is null)
            Start();
        var period = sim.ControlDt;
        var started = Stopwatch.GetTimestamp();
        var faults = options.Faults;
        long tick = 0;
        while (!cancel.IsCancellationRequested)
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (duration is { } limit && elapsed >= limit)
                break;
            var robotTime = options.Lockstep ? TimeSpan.FromSeconds(sim.Data.Time) : elapsed;
            ScheduleConnection(robotTime, faults);

            CheckBaudRate();
            link.Tick(Clock(started));
            // Held from power-up until the host has linked and sent its first active command (released at the handshake,
            // the robot moved under its safe-state targets until then: a jolt on a legged robot); after that it runs on
            // even if the host goes away, as a real one would.
            released |= options.FreeRun || (link.Linked && link.Rules.Status.HasFlag(RobotStatusFlags.Active));
            if (released)
            {
                sim.StepControlPeriod(link.Rules.Targets);
                truth?.Record(robotTime.TotalSeconds);
            }
            sim.ReadState(state);
            sim.ReadState(physical);
            ApplyStuckSensor(robotTime, faults);
            var linked = link.Linked;
            link.SendState(state, Clock(started));
            tick++;

            if (options.Lockstep && linked)
            {
                // Until the host answers this state (or gives no answer in time, as when the frame was lost).
                var giveUp = Stopwatch.GetTimestamp() + (long)(options.LockstepTimeout.TotalSeconds * Stopwatch.Frequency);
                var answered = state.Sequence;
                Serve(giveUp, started, () => link.LastAnsweredStateSequence == answered, cancel);
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
            var count = channel is null ? Sleep(waitMilliseconds) : channel.Read(buffer, waitMilliseconds);
            if (count > 0 && !CheckBaudRate())
            {
                if (commandLoss is { } loss)
                    loss.Receive(buffer.AsSpan(0, count), link, Clock(started));
                else
                    link.Receive(buffer.AsSpan(0, count), Clock(started));
            }
            // The watchdog runs between periods too, so a lost link is acted on within milliseconds of the timeout.
            link.Tick(Clock(started));
            sink.Flush();
        }
    }

    public void Dispose()
    {
        channel?.Dispose();
        truth?.Dispose();
        sim.Dispose();
    }

    private void ScheduleConnection(TimeSpan elapsed, FaultInjectionOptions faults)
    {
        if (faults.DisconnectAt is not { } at)
            return;
        if (!Disconnected && channel is not null && elapsed >= at && (faults.ReconnectAfter is null || elapsed < at + faults.ReconnectAfter))
        {
            // The cable is pulled: the host sees the device vanish; this side keeps running its watchdog.
            Disconnected = true;
            sink.Channel = null;
            if (terminal is not null)
                terminal.Close();
            else
                channel.Dispose();
            channel = null;
        }
        else if (Disconnected && faults.ReconnectAfter is { } after && elapsed >= at + after && !usesExistingDevice)
        {
            terminal?.Dispose();
            channel = terminal = PseudoTerminal.Open(requestedPath);
            sink.Channel = channel;
            link.Decoder.Reset();
            commandLoss?.Reset();
            Disconnected = false;
        }
    }

    // A host at another baud rate sees noise, and its bytes are noise to this side. Returns whether they differ.
    private bool CheckBaudRate()
    {
        BaudRateMismatch = terminal?.ClientBaudRate() is { } hostBaud && hostBaud != options.BaudRate;
        sink.Garble = BaudRateMismatch;
        return BaudRateMismatch;
    }

    // A stuck sensor repeats its last reading while the joint itself moves on.
    private void ApplyStuckSensor(TimeSpan elapsed, FaultInjectionOptions faults)
    {
        if (faults.StuckJoint is not { } joint || elapsed < faults.StuckSensorAt)
            return;
        if (!stuckCaptured)
        {
            stuckReading[0] = state.JointPositions[joint];
            stuckReading[1] = state.JointVelocities[joint];
            stuckCaptured = true;
        }

        state.JointPositions[joint] = stuckReading[0];
        state.JointVelocities[joint] = stuckReading[1];
    }

    private static int Sleep(int milliseconds)
    {
        Thread.Sleep(milliseconds);
        return 0;
    }

    // The firmware's clock: wall-clock time since the start, or simulated time in lockstep.
    private ulong Clock(long started) => options.Lockstep
        ? (ulong)(sim.Data.Time * 1e6)
        : (ulong)(Stopwatch.GetElapsedTime(started).Ticks / 10);
}
