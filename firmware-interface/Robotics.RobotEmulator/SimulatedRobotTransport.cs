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
    private readonly LoadedTask task;
    private readonly SimEnvironment sim;
    private readonly FirmwareRules rules;
    private readonly Lock commandGate = new();
    private readonly float[] pendingTargets;
    private readonly float[] appliedTargets;
    private readonly RobotState scratch;
    private readonly LatestStateBuffer latest;
    private readonly long started = Stopwatch.GetTimestamp();
    private CommandMode pendingMode = CommandMode.Safe;
    private bool hasPendingCommand;
    private bool pendingStop;
    private Thread? thread;
    private volatile bool stopping;
    private uint sequence;

    private readonly BaseMotionLog? truth;

    /// <param name="truthPath">Where to write the base's true motion each control period (<see cref="BaseMotionLog"/>); null for none.</param>
    public SimulatedRobotTransport(LoadedTask task, int seed = 0, TimeSpan? watchdogTimeout = null, string? truthPath = null)
    {
        this.task = task;
        var contract = task.RobotContract;
        sim = new SimEnvironment(task, randomize: false);
        sim.Reset(seed);
        truth = truthPath is null ? null : new BaseMotionLog(truthPath, sim);
        rules = new FirmwareRules(EmulatedRobotTask.Limits(contract, watchdogTimeout));
        pendingTargets = new float[contract.Actuators.Count];
        appliedTargets = new float[contract.Actuators.Count];
        scratch = new RobotState(contract.Joints.Count);
        latest = new LatestStateBuffer(contract.Joints.Count);
    }

    /// <summary>A simulated robot by robot or task name (see <see cref="EmulatedRobotTask.Load"/>).</summary>
    public static SimulatedRobotTransport Create(string robotOrTask, int seed = 0) => new(EmulatedRobotTask.Load(robotOrTask), seed);

    public LinkStatistics Statistics { get; } = new();

    public FirmwareRules Rules => rules;

    public RobotHandshake Open(TimeSpan timeout)
    {
        if (thread is not null)
            throw new InvalidOperationException("the simulated robot is already running");
        var contract = task.RobotContract;
        rules.OnHandshake(Micros());
        thread = new Thread(Run) { IsBackground = true, Name = $"simulated {contract.Robot}" };
        thread.Start();
        Statistics.Connected = true;
        return new RobotHandshake(WireFormat.ProtocolVersion, contract.Robot, contract.ShortHash, contract.Joints.Count,
            contract.Actuators.Count, contract.ControlRateHz, contract.ControlRateHz) { HasImu = contract.HasImu };
    }

    public bool TryReadLatestState(RobotState destination) => latest.TryCopyTo(destination);

    public void SendCommand(uint stateSequence, ReadOnlySpan<float> targets)
    {
        if (targets.Length != pendingTargets.Length)
            throw new ArgumentException($"robot '{task.RobotContract.Robot}' has {pendingTargets.Length} actuators; got {targets.Length} targets", nameof(targets));
        lock (commandGate)
        {
            targets.CopyTo(pendingTargets);
            pendingMode = CommandMode.Active;
            hasPendingCommand = true;
        }

        Statistics.FramesSent++;
    }

    public void SendEmergencyStop()
    {
        lock (commandGate)
            pendingStop = true;
        Statistics.FramesSent++;
    }

    public void Dispose()
    {
        stopping = true;
        thread?.Join();
        Statistics.Connected = false;
        truth?.Dispose();
        sim.Dispose();
    }

    private void Run()
    {
        var period = sim.ControlDt;
        long tick = 0;
        while (!stopping)
        {
            TakeCommand();
            var report = rules.Tick(Micros());
            if (report.Code != FaultCode.None)
                Statistics.LastFaultCode = (uint)report.Code;
            sim.StepControlPeriod(rules.Targets);
            truth?.Record(Micros() / 1e6);
            sim.ReadState(scratch);
            scratch.Sequence = sequence++;
            scratch.DeviceTimeMicros = Micros();
            scratch.StatusFlags = (uint)rules.Status;
            scratch.ReceivedTicks = Stopwatch.GetTimestamp();
            latest.Publish(scratch);
            Statistics.FramesReceived++;

            tick++;
            var left = started + (long)(tick * period * Stopwatch.Frequency) - Stopwatch.GetTimestamp();
            if (left > 0)
                Thread.Sleep(TimeSpan.FromSeconds((double)left / Stopwatch.Frequency));
        }
    }

    private void TakeCommand()
    {
        bool hasCommand, stop;
        CommandMode mode;
        lock (commandGate)
        {
            hasCommand = hasPendingCommand;
            stop = pendingStop;
            mode = pendingMode;
            pendingTargets.CopyTo(appliedTargets, 0);
            hasPendingCommand = false;
            pendingStop = false;
        }

        if (stop)
            rules.OnEmergencyStop();
        if (hasCommand)
        {
            var report = rules.OnCommand(mode, appliedTargets, rules.CommandsReceived, Micros());
            if (report.Code != FaultCode.None)
            {
                Statistics.LastFaultCode = (uint)report.Code;
                Statistics.LastFault = rules.Describe(report);
            }
        }
    }

    private ulong Micros() => (ulong)(Stopwatch.GetElapsedTime(started).Ticks / 10);
}
