using Robotics.Contract;
using Robotics.Runtime.Observation;
using Robotics.Runtime.Safety;
using Robotics.Runtime.Telemetry;
using Robotics.Runtime.Transport;

namespace Robotics.Runtime.Control;

/// <summary>
/// Drives a robot with a policy at a fixed rate. Each tick: latest state, observation, inference,
/// safety layer, command. A stop request, the end of the duration or a fault (non-finite action,
/// stale state, link error) ramps the commands down to the safe state over the configured time instead
/// of cutting them. Nothing is allocated per tick once running.
/// <para>
/// The stale-state watchdog counts a state's age from the first tick that drove on it, not from its arrival: the
/// fault means "commanded for more than the watchdog's periods without a newer state". A robot that holds still
/// until its host answers (an emulator in lockstep, firmware waiting after the handshake) may have sent the state
/// the loop starts from long before the first tick; that state is current, not stale. A robot whose states say it
/// runs in lockstep does not move on while its next state is late, so the limit for it is the start-up timeout.
/// </para>
/// </summary>
public sealed class ControlLoop
{
    private readonly IRobotTransport transport;
    private readonly IControlPolicy policy;
    private readonly IObservationSource observations;
    private readonly IControlClock clock;
    private readonly TelemetryWriter? telemetry;
    private readonly SafetyLayer safety;
    private readonly ControlLoopOptions options;
    private readonly PolicyContract contract;
    private readonly RobotState state;
    private readonly float[] command;
    private readonly float[] safeCommand;
    private readonly float[] rampStart;
    private readonly float[] previousAction;
    private readonly long periodTicks;
    private readonly long watchdogTicks;
    private readonly long startupTicks;
    private readonly long lockstepWatchdogTicks;
    private readonly long durationTicks;
    private readonly long rampTicks;

    private PeriodScheduler? scheduler;
    private long startedAt;
    private long runningSince;
    private long rampStep;
    private long tickIndex;
    private bool hasState;
    private long drivenStateReceivedTicks = long.MinValue;
    private long drivenStateSince;
    private volatile bool stopRequested;

    public ControlLoop(
        IRobotTransport transport,
        IControlPolicy policy,
        PolicyContract contract,
        IObservationSource observations,
        ControlLoopOptions options,
        IControlClock clock,
        TelemetryWriter? telemetry = null)
    {
        options.Validate();
        if (observations.Size != contract.ObservationSize || policy.Observation.Length < contract.ObservationSize)
            throw new ArgumentException($"the observation source builds {observations.Size} values but the policy contract needs {contract.ObservationSize}", nameof(observations));
        if (policy.Actions.Length < contract.ActionSize)
            throw new ArgumentException($"the policy produces {policy.Actions.Length} actions but the contract has {contract.ActionSize} actuators", nameof(policy));

        this.transport = transport;
        this.policy = policy;
        this.observations = observations;
        this.options = options;
        this.contract = contract;
        this.clock = clock;
        this.telemetry = telemetry;
        var robot = contract.Robot;
        var actuators = contract.ActionSize;
        safety = new SafetyLayer(robot, options.Safety, options.RateHz, contract.ActionMaxChangePerSecond);
        state = new RobotState(robot.Joints.Count);
        command = new float[actuators];
        safeCommand = new float[actuators];
        rampStart = new float[actuators];
        previousAction = new float[actuators];
        JointRanges = new JointRanges(robot.Joints.Select(j => j.Name).ToList());

        periodTicks = Math.Max(1, (long)Math.Round(clock.Frequency / options.RateHz));
        watchdogTicks = periodTicks * options.Safety.WatchdogPeriods;
        startupTicks = ToTicks(options.Safety.StartupTimeout);
        lockstepWatchdogTicks = Math.Max(watchdogTicks, startupTicks);
        durationTicks = options.Duration is { } d ? ToTicks(d) : long.MaxValue;
        rampTicks = Math.Max(1, (long)Math.Round(options.Safety.RampDown.TotalSeconds * options.RateHz));
    }

    public LoopPhase Phase { get; private set; } = LoopPhase.WaitingForState;
    public StopReason StopReason { get; private set; }
    public FaultKind Fault { get; private set; }

    /// <summary>The stale-state watchdog's limit, in control periods.</summary>
    public int WatchdogPeriods => options.Safety.WatchdogPeriods;

    /// <summary>The limit the stale-state watchdog applied when it tripped (µs without a newer state).</summary>
    public double FaultStateLimitMicros { get; private set; }

    /// <summary>State age (µs, since it arrived) when the watchdog tripped, for the fault message.</summary>
    public double FaultStateAgeMicros { get; private set; }

    public long Ticks { get; private set; }
    public LatencyHistogram PeriodError { get; } = new();
    public LatencyHistogram Inference { get; } = new();
    public LatencyHistogram Work { get; } = new();
    public long SafetyInterventions { get; private set; }

    /// <summary>When the first command went out, in clock ticks; 0 before it.</summary>
    public long FirstCommandAt { get; private set; }

    /// <summary>Bytes the control thread allocated from the first tick to the last (0 is the goal).</summary>
    public long AllocatedBytes { get; private set; }

    /// <summary>Ticks on which the link gave a robot state.</summary>
    public long StatesRead { get; private set; }

    /// <summary>Commands handed to the link (ramp-down included).</summary>
    public long CommandsSent { get; private set; }

    /// <summary>How far each joint moved among the states read while driving and ramping down.</summary>
    public JointRanges JointRanges { get; }
    public long PeriodTicks => periodTicks;
    public PeriodScheduler? Scheduler => scheduler;

    /// <summary>The commands sent last.</summary>
    public ReadOnlySpan<float> LastCommand => command;

    /// <summary>Asks the loop to ramp down and stop; safe to call from any thread (e.g. a Ctrl-C handler).</summary>
    public void RequestStop() => stopRequested = true;

    /// <summary>
    /// Runs <paramref name="iterations"/> whole ticks, then a whole ramp-down, of a second loop with this loop's
    /// policy and observation source against an in-process stand-in robot, so that first-call costs (ONNX Runtime's
    /// own, the JIT's where there is one) are paid before the first real tick. Nothing reaches the robot; the same
    /// code runs under NativeAOT, where there is nothing to compile ahead.
    /// </summary>
    public void WarmUp(int iterations = 200)
    {
        var rehearsal = new ControlLoop(new LoopbackRobotTransport(contract.Robot), policy, contract, observations,
            options with { Duration = null }, clock);
        rehearsal.Start(clock.Now);
        for (int i = 0; i < iterations && rehearsal.Phase != LoopPhase.Stopped; i++)
            rehearsal.Tick(clock.Now, 0);
        rehearsal.RequestStop();
        while (rehearsal.Phase != LoopPhase.Stopped)
            rehearsal.Tick(clock.Now, 0);
        previousAction.AsSpan().Clear();

        // The clock's sleep binds its native function on first use, which allocates: do that now, not in the first tick.
        for (int i = 0; i < 2; i++) clock.WaitUntil(clock.Now + clock.Frequency / 1000);
    }

    /// <summary>Runs until stopped (request, duration, fault) and the ramp-down has finished.</summary>
    public RunSummary Run(CancellationToken cancel = default)
    {
        WarmUp();
        var latency = System.Runtime.GCSettings.LatencyMode;
        System.Runtime.GCSettings.LatencyMode = System.Runtime.GCLatencyMode.SustainedLowLatency;
        try
        {
            return RunLoop(cancel);
        }
        finally
        {
            System.Runtime.GCSettings.LatencyMode = latency;
        }
    }

    private RunSummary RunLoop(CancellationToken cancel)
    {
        Start(clock.Now);
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        while (Phase != LoopPhase.Stopped)
        {
            if (cancel.IsCancellationRequested) stopRequested = true;
            Step();
        }

        AllocatedBytes = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        return RunSummary.From(this, options.RateHz, transport.Statistics, telemetry);
    }

    /// <summary>Arms the scheduler: the first tick is due one period after <paramref name="now"/>.</summary>
    public void Start(long now)
    {
        scheduler = new PeriodScheduler(periodTicks, now);
        startedAt = now;
        Phase = LoopPhase.WaitingForState;
    }

    /// <summary>Waits for the next deadline, runs one tick and schedules the next.</summary>
    public void Step()
    {
        var schedule = scheduler ?? throw new InvalidOperationException("call Start first");
        clock.WaitUntil(schedule.Deadline);
        var woke = clock.Now;
        Tick(woke, schedule.ErrorAt(woke));
        schedule.Complete(clock.Now);
    }

    /// <summary>One tick's work at time <paramref name="now"/>, woken <paramref name="lateTicks"/> after its deadline.</summary>
    public void Tick(long now, long lateTicks)
    {
        Ticks++;
        tickIndex++;
        var stateRead = transport.TryReadLatestState(state);
        if (stateRead)
        {
            hasState = true;
            StatesRead++;
        }

        float inferenceMicros = 0;
        var flags = SafetyFlags.None;
        var phase = Phase;
        switch (Phase)
        {
            case LoopPhase.WaitingForState:
                if (stopRequested)
                {
                    StopWithoutRamp(StopReason.Requested, FaultKind.None);
                }
                else if (hasState)
                {
                    safety.Reset(state);
                    safety.LastCommand.CopyTo(command);
                    runningSince = now;
                    observations.BeginDriving();
                    Phase = LoopPhase.Running;
                    goto case LoopPhase.Running;
                }
                else if (now - startedAt > startupTicks)
                {
                    StopWithoutRamp(StopReason.Fault, FaultKind.NoStateAtStartup);
                }

                break;

            case LoopPhase.Running:
                phase = LoopPhase.Running;
                if (state.ReceivedTicks != drivenStateReceivedTicks)
                {
                    drivenStateReceivedTicks = state.ReceivedTicks;
                    drivenStateSince = now;
                }

                if (stopRequested) BeginRampDown(StopReason.Requested, FaultKind.None);
                else if (now - runningSince >= durationTicks) BeginRampDown(StopReason.DurationElapsed, FaultKind.None);
                else if (transport.Statistics.LinkLost)
                {
                    // The link says the robot's device is gone: nothing sent from here arrives, and the robot's own
                    // watchdog takes it to its safe state. Stop now instead of a watchdog later.
                    LinkError = transport.Statistics.LastFault ?? "the link to the robot was lost";
                    StopWithoutRamp(StopReason.Fault, FaultKind.LinkError);
                    break;
                }
                else if (now - drivenStateSince > (state.Lockstep ? lockstepWatchdogTicks : watchdogTicks))
                {
                    FaultStateAgeMicros = Micros(now - state.ReceivedTicks);
                    FaultStateLimitMicros = Micros(state.Lockstep ? lockstepWatchdogTicks : watchdogTicks);
                    BeginRampDown(StopReason.Fault, FaultKind.StaleState);
                }
                else
                {
                    // A fault found while driving starts the ramp on the next tick: this one has sent its command.
                    inferenceMicros = Drive();
                    flags = LastFlags;
                    break;
                }

                RampDownStep();
                break;

            case LoopPhase.RampingDown:
                RampDownStep();
                break;
        }

        if (phase is LoopPhase.Running or LoopPhase.RampingDown)
        {
            if (stateRead) JointRanges.Add(state);
            PeriodError.Record(Micros(lateTicks));
            if (inferenceMicros > 0) Inference.Record(inferenceMicros);
            var workMicros = Micros(clock.Now - now);
            Work.Record(workMicros);
            if (flags != SafetyFlags.None) SafetyInterventions++;
            if (telemetry is not null)
            {
                var record = new TickRecord
                {
                    Tick = tickIndex,
                    TimeSeconds = (double)(now - startedAt) / clock.Frequency,
                    PeriodErrorMicros = (float)Micros(lateTicks),
                    InferenceMicros = inferenceMicros,
                    WorkMicros = (float)workMicros,
                    StateAgeMicros = hasState ? (float)Math.Max(0, Micros(now - state.ReceivedTicks)) : float.NaN,
                    StateSequence = state.Sequence,
                    Phase = phase,
                    Safety = flags,
                };
                telemetry.Record(record, command, state, observations.Command);
            }
        }
    }

    private SafetyFlags LastFlags { get; set; }

    // Observation, inference, safety, send. Returns the inference time in µs.
    private float Drive()
    {
        float inference;
        try
        {
            observations.Build(state, previousAction, policy.Observation);
            if (!AllFinite(policy.Observation))
            {
                // A sensor reading NaN or Inf: the policy's answer to it means nothing.
                LastFlags = SafetyFlags.None;
                BeginRampDown(StopReason.Fault, FaultKind.NonFiniteObservation);
                return 0;
            }

            var before = clock.Now;
            policy.Run();
            inference = (float)Micros(clock.Now - before);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Nothing new was sent this tick; the ramp starts from the last command on the next one.
            PolicyError = e.Message;
            LastFlags = SafetyFlags.None;
            BeginRampDown(StopReason.Fault, FaultKind.PolicyError);
            return 0;
        }

        LastFlags = safety.Apply(policy.Actions, state, command);
        if (!Send()) return inference;

        // In simulation the previous action is what the actuators received; here that is the limited command.
        command.CopyTo(previousAction, 0);
        if ((LastFlags & SafetyFlags.NonFinite) != 0)
            BeginRampDown(StopReason.Fault, FaultKind.NonFiniteAction);
        return inference;
    }

    private static bool AllFinite(ReadOnlySpan<float> values)
    {
        foreach (var v in values)
        {
            if (!float.IsFinite(v)) return false;
        }

        return true;
    }

    /// <summary>Why building the observation or running the policy failed, if it did.</summary>
    public string? PolicyError { get; private set; }

    private void BeginRampDown(StopReason reason, FaultKind fault)
    {
        if (Phase == LoopPhase.RampingDown || Phase == LoopPhase.Stopped) return;
        StopReason = reason;
        Fault = fault;
        safety.LastCommand.CopyTo(rampStart);
        safety.WriteSafeCommand(state, safeCommand);
        rampStep = 0;
        Phase = LoopPhase.RampingDown;
    }

    private void RampDownStep()
    {
        rampStep++;
        var progress = Math.Min(1f, (float)rampStep / rampTicks);
        for (int i = 0; i < command.Length; i++)
            command[i] = rampStart[i] + (safeCommand[i] - rampStart[i]) * progress;
        safety.ApplyUnlimitedRate(command, command);
        if (!Send()) return;
        if (progress >= 1f)
        {
            Phase = LoopPhase.Stopped;
            if (StopReason == StopReason.Fault) EmergencyStop();
        }
    }

    private void StopWithoutRamp(StopReason reason, FaultKind fault)
    {
        StopReason = reason;
        Fault = fault;
        Phase = LoopPhase.Stopped;
        if (fault != FaultKind.None) EmergencyStop();
    }

    private bool Send()
    {
        try
        {
            transport.SendCommand(state.Sequence, command);
            if (CommandsSent++ == 0) FirstCommandAt = clock.Now;
            return true;
        }
        catch (Exception e) when (e is RobotLinkException or IOException or InvalidOperationException or TimeoutException)
        {
            LinkError = e.Message;
            StopWithoutRamp(StopReason.Fault, FaultKind.LinkError);
            return false;
        }
    }

    private void EmergencyStop()
    {
        try
        {
            transport.SendEmergencyStop();
        }
        catch (Exception e) when (e is RobotLinkException or IOException or InvalidOperationException or TimeoutException)
        {
            LinkError ??= e.Message;
        }
    }

    /// <summary>What the link said when it failed, if it did.</summary>
    public string? LinkError { get; private set; }

    private long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * clock.Frequency);

    private double Micros(long ticks) => ticks * 1e6 / clock.Frequency;
}
