using System.Diagnostics;
using Robotics.Contract;
using Robotics.FirmwareInterface.Firmware;
using Robotics.FirmwareInterface.Protocol;
using Robotics.FirmwareInterface.Transport;
using Robotics.Runtime.Transport;
using Robotics.Sim.Environments;
using Robotics.Sim.Tasks;

namespace Robotics.RobotEmulator;

/// <summary>
/// A simulated robot without a serial line, for sim-to-sim runs of the runtime: MuJoCo stepped one control
/// period at a time in wall-clock time on its own thread, under the same firmware rules as the emulator.
/// <see cref="TryReadLatestState"/> and <see cref="SendCommand"/> do not allocate.
/// </summary>
public sealed class SimulatedRobotTransport : IRobotTransport
{
    private readonly LoadedTask _task;
    private readonly SimEnvironment _sim;
    private readonly FirmwareRules _rules;
    private readonly Lock _commandGate = new();
    private readonly float[] _pendingTargets;
    private readonly float[] _appliedTargets;
    private readonly RobotState _scratch;
    private readonly LatestStateBuffer _latest;
    private readonly long _started = Stopwatch.GetTimestamp();
    private CommandMode _pendingMode = CommandMode.Safe;
    private bool _hasPendingCommand;
    private bool _pendingStop;
    private Thread? _thread;
    private volatile bool _stopping;
    private uint _sequence;

    private readonly BaseMotionLog? _truth;

    /// <param name="truthPath">Where to write the base's true motion each control period (<see cref="BaseMotionLog"/>); null for none.</param>
    public SimulatedRobotTransport(LoadedTask task, int seed = 0, TimeSpan? watchdogTimeout = null, string? truthPath = null)
    {
        _task = task;
        var contract = task.RobotContract;
        _sim = new SimEnvironment(task, randomize: false);
        _sim.Reset(seed);
        _truth = truthPath is null ? null : new BaseMotionLog(truthPath, _sim);
        _rules = new FirmwareRules(EmulatedRobotTask.Limits(contract, watchdogTimeout));
        _pendingTargets = new float[contract.Actuators.Count];
        _appliedTargets = new float[contract.Actuators.Count];
        _scratch = new RobotState(contract.Joints.Count);
        _latest = new LatestStateBuffer(contract.Joints.Count);
    }

    /// <summary>A simulated robot by robot or task name (see <see cref="EmulatedRobotTask.Load"/>).</summary>
    public static SimulatedRobotTransport Create(string robotOrTask, int seed = 0) => new(EmulatedRobotTask.Load(robotOrTask), seed);

    public LinkStatistics Statistics { get; } = new();

    public FirmwareRules Rules => _rules;

    public RobotHandshake Open(TimeSpan timeout)
    {
        if (_thread is not null)
            throw new InvalidOperationException("the simulated robot is already running");
        var contract = _task.RobotContract;
        _rules.OnHandshake(Micros());
        _thread = new Thread(Run) { IsBackground = true, Name = $"simulated {contract.Robot}" };
        _thread.Start();
        Statistics.Connected = true;
        return new RobotHandshake(WireFormat.ProtocolVersion, contract.Robot, contract.ShortHash, contract.Joints.Count,
            contract.Actuators.Count, contract.ControlRateHz, contract.ControlRateHz) { HasImu = contract.HasImu };
    }

    public bool TryReadLatestState(RobotState destination) => _latest.TryCopyTo(destination);

    public void SendCommand(uint stateSequence, ReadOnlySpan<float> targets)
    {
        if (targets.Length != _pendingTargets.Length)
            throw new ArgumentException($"robot '{_task.RobotContract.Robot}' has {_pendingTargets.Length} actuators; got {targets.Length} targets", nameof(targets));
        lock (_commandGate)
        {
            targets.CopyTo(_pendingTargets);
            _pendingMode = CommandMode.Active;
            _hasPendingCommand = true;
        }

        Statistics.FramesSent++;
    }

    public void SendEmergencyStop()
    {
        lock (_commandGate)
            _pendingStop = true;
        Statistics.FramesSent++;
    }

    public void Dispose()
    {
        _stopping = true;
        _thread?.Join();
        Statistics.Connected = false;
        _truth?.Dispose();
        _sim.Dispose();
    }

    private void Run()
    {
        var period = _sim.ControlDt;
        long tick = 0;
        while (!_stopping)
        {
            TakeCommand();
            var report = _rules.Tick(Micros());
            if (report.Code != FaultCode.None)
                Statistics.LastFaultCode = (uint)report.Code;
            _sim.StepControlPeriod(_rules.Targets);
            _truth?.Record(Micros() / 1e6);
            _sim.ReadState(_scratch);
            _scratch.Sequence = _sequence++;
            _scratch.DeviceTimeMicros = Micros();
            _scratch.StatusFlags = (uint)_rules.Status;
            _scratch.ReceivedTicks = Stopwatch.GetTimestamp();
            _latest.Publish(_scratch);
            Statistics.FramesReceived++;

            tick++;
            var left = _started + (long)(tick * period * Stopwatch.Frequency) - Stopwatch.GetTimestamp();
            if (left > 0)
                Thread.Sleep(TimeSpan.FromSeconds((double)left / Stopwatch.Frequency));
        }
    }

    private void TakeCommand()
    {
        bool hasCommand, stop;
        CommandMode mode;
        lock (_commandGate)
        {
            hasCommand = _hasPendingCommand;
            stop = _pendingStop;
            mode = _pendingMode;
            _pendingTargets.CopyTo(_appliedTargets, 0);
            _hasPendingCommand = false;
            _pendingStop = false;
        }

        if (stop)
            _rules.OnEmergencyStop();
        if (hasCommand)
        {
            var report = _rules.OnCommand(mode, _appliedTargets, _rules.CommandsReceived, Micros());
            if (report.Code != FaultCode.None)
            {
                Statistics.LastFaultCode = (uint)report.Code;
                Statistics.LastFault = _rules.Describe(report);
            }
        }
    }

    private ulong Micros() => (ulong)(Stopwatch.GetElapsedTime(_started).Ticks / 10);
}
