using Robotics.Runtime.Control;
using Robotics.Runtime.Observation;
using Robotics.Runtime.Safety;

namespace Robotics.Runtime.Tests.Control;

public sealed class ControlLoopTests
{
    private sealed class Rig
    {
        public Rig(ControlLoopOptions? options = null)
        {
            Options = options ?? new ControlLoopOptions
            {
                RateHz = 50,
                Safety = new SafetyOptions { MaxChangePerSecond = 1e9, RampDown = TimeSpan.FromSeconds(0.1), WatchdogPeriods = 3 },
            };
            Transport = new FakeTransport(TestRobot.Contract(), Clock) { History = [] };
            Loop = new ControlLoop(Transport, Policy, TestRobot.Policy(), new ContractObservationSource(TestRobot.Policy()), Options, Clock);
            Loop.Start(Clock.Now);
        }

        public FakeClock Clock { get; } = new();
        public FakePolicy Policy { get; } = new(6, 2);
        public FakeTransport Transport { get; }
        public ControlLoopOptions Options { get; }
        public ControlLoop Loop { get; }

        public void Steps(int n)
        {
            for (int i = 0; i < n && Loop.Phase != LoopPhase.Stopped; i++) Loop.Step();
        }

        public void RunToStop(int limit = 10_000)
        {
            for (int i = 0; i < limit && Loop.Phase != LoopPhase.Stopped; i++) Loop.Step();
        }
    }

    [Fact]
    public void Each_tick_sends_the_policy_command_through_the_safety_layer()
    {
        var rig = new Rig();
        rig.Policy.Output[0] = 0.5f;
        rig.Policy.Output[1] = 9f;
        rig.Transport.State.JointPositions[0] = 0.25;

        rig.Steps(10);

        Assert.Equal(10, rig.Transport.CommandsSent);
        Assert.Equal(10, rig.Policy.Runs);
        Assert.Equal([0.5f, 4f], rig.Transport.LastCommand); // the knee clamped to its 4 N·m
        Assert.Equal(0.25f, rig.Policy.Observation[0]); // observation built from the robot's state
        Assert.Equal(4f, rig.Policy.Observation[5]); // previous action: the knee command as sent
    }

    [Fact]
    public void Previous_action_in_the_observation_is_the_command_sent_at_the_previous_tick()
    {
        var rig = new Rig();
        rig.Policy.Output[0] = 0.5f;
        rig.Policy.Output[1] = 2f;

        rig.Steps(1);
        Assert.Equal([0f, 0f], rig.Policy.Observation[4..6]); // zeros before the first command
        rig.Steps(1);

        Assert.Equal([0.5f, 2f], rig.Policy.Observation[4..6]);
    }

    [Fact]
    public void Non_finite_action_raises_a_fault_and_ramps_down_to_the_safe_state()
    {
        var rig = new Rig();
        rig.Policy.Output[0] = 0.6f;
        rig.Policy.Output[1] = 3f;
        rig.Steps(5);

        rig.Policy.Output[1] = float.NaN;
        rig.RunToStop();

        Assert.Equal(FaultKind.NonFiniteAction, rig.Loop.Fault);
        Assert.Equal(StopReason.Fault, rig.Loop.StopReason);
        var history = rig.Transport.History!;
        var nanTick = history[5];
        Assert.Equal(0f, nanTick[1]); // the NaN was replaced by the knee's safe effort
        Assert.All(history, command => Assert.All(command, v => Assert.True(float.IsFinite(v))));

        // Ramp from [0.6, 0] (last sent) to [hold hip at 0, 0] over 0.1 s = 5 ticks, never a jump.
        var ramp = history.Skip(6).Select(c => c[0]).ToArray();
        Assert.Equal([0.48f, 0.36f, 0.24f, 0.12f, 0f], ramp, new FloatTolerance(1e-6f));
        Assert.Equal(1, rig.Transport.EmergencyStops);
    }

    [Fact]
    public void Watchdog_enters_the_safe_state_when_the_robot_state_is_older_than_the_configured_periods()
    {
        var rig = new Rig();
        rig.Policy.Output[1] = 2f;
        rig.Steps(4);

        rig.Transport.Silent = true;
        rig.Steps(3); // 3 periods old: still allowed
        Assert.Equal(LoopPhase.Running, rig.Loop.Phase);
        rig.Steps(1); // 4 periods old
        Assert.Equal(FaultKind.StaleState, rig.Loop.Fault);
        rig.RunToStop();

        Assert.Equal(LoopPhase.Stopped, rig.Loop.Phase);
        Assert.Equal([0f, 0f], rig.Transport.LastCommand);
        Assert.Equal(80_000, rig.Loop.FaultStateAgeMicros);
    }

    /// <summary>
    /// A robot that holds still until its host answers (an emulator in lockstep) sent the state the loop starts from
    /// long before the first tick, while the runtime warmed up. That state is current: the loop drives on it, and the
    /// watchdog counts from the first tick that used it. Before, this run stopped with stale_state on its first tick.
    /// </summary>
    [Fact]
    public void A_state_held_since_before_the_first_tick_is_driven_on_and_the_watchdog_counts_from_that_tick()
    {
        var rig = new Rig();
        rig.Transport.Silent = true;
        rig.Transport.State.ReceivedTicks = rig.Clock.Now - 1_000_000; // a second before the loop started

        rig.Steps(1);
        Assert.Equal(FaultKind.None, rig.Loop.Fault);
        Assert.Equal(LoopPhase.Running, rig.Loop.Phase);
        Assert.Equal(1, rig.Transport.CommandsSent);

        rig.Steps(3); // still no newer state: 3 periods since the first tick drove on it, allowed
        Assert.Equal(LoopPhase.Running, rig.Loop.Phase);
        rig.Steps(1); // 4 periods
        Assert.Equal(FaultKind.StaleState, rig.Loop.Fault);
        Assert.Equal(1_100_000, rig.Loop.FaultStateAgeMicros); // the age reported is since the state arrived
    }

    /// <summary>
    /// A robot in lockstep does not move on while its next state is late (a stalled emulator, a lost frame it waits
    /// out): the watchdog gives it the start-up timeout instead of its periods, and still stops a robot that hung.
    /// </summary>
    [Fact]
    public void A_robot_in_lockstep_gets_the_startup_timeout_before_its_state_is_stale()
    {
        var rig = new Rig(new ControlLoopOptions
        {
            RateHz = 50,
            Safety = new SafetyOptions { WatchdogPeriods = 3, StartupTimeout = TimeSpan.FromSeconds(0.2), RampDown = TimeSpan.FromSeconds(0.1) },
        });
        rig.Transport.State.Lockstep = true;
        rig.Steps(2);
        rig.Transport.Silent = true;

        rig.Steps(10); // 0.2 s since the loop first drove on the last state: allowed
        Assert.Equal(LoopPhase.Running, rig.Loop.Phase);
        rig.Steps(1);

        Assert.Equal(FaultKind.StaleState, rig.Loop.Fault);
        Assert.Equal(220_000, rig.Loop.FaultStateAgeMicros);
        Assert.Equal(200_000, rig.Loop.FaultStateLimitMicros);
    }

    [Fact]
    public void The_stale_state_fault_says_how_many_periods_and_which_option_allows_more()
    {
        var rig = new Rig();
        rig.Steps(2);
        rig.Transport.Silent = true;
        rig.RunToStop();

        var summary = Robotics.Runtime.Telemetry.RunSummary.From(rig.Loop, rig.Options.RateHz, rig.Transport.Statistics, null);

        Assert.Equal("stale_state", summary.Fault);
        Assert.Contains("no new robot state within 60 ms", summary.FaultDetail); // 3 periods at 50 Hz
        Assert.Contains("--watchdog-periods (now 3)", summary.FaultDetail);
    }

    [Fact]
    public void Stop_request_ramps_down_over_the_configured_time_instead_of_cutting()
    {
        var rig = new Rig();
        rig.Policy.Output[1] = 4f;
        rig.Steps(3);
        var sentBefore = rig.Transport.CommandsSent;

        rig.Loop.RequestStop();
        rig.RunToStop();

        var ramp = rig.Transport.History!.Skip(sentBefore).Select(c => c[1]).ToArray();
        Assert.Equal([3.2f, 2.4f, 1.6f, 0.8f, 0f], ramp, new FloatTolerance(1e-6f));
        Assert.Equal(StopReason.Requested, rig.Loop.StopReason);
        Assert.Equal(FaultKind.None, rig.Loop.Fault);
        Assert.Equal(0, rig.Transport.EmergencyStops);
    }

    [Fact]
    public void Run_stops_when_the_duration_has_elapsed()
    {
        var rig = new Rig(new ControlLoopOptions { RateHz = 100, Duration = TimeSpan.FromSeconds(1), Safety = new SafetyOptions { RampDown = TimeSpan.FromSeconds(0.05) } });

        var summary = rig.Loop.Run();

        Assert.Equal("duration_elapsed", summary.StopReason);
        Assert.Equal(100 + 5, rig.Transport.CommandsSent); // one second of commands, then five ramping down
        Assert.Equal(0, summary.Overruns);
    }

    [Fact]
    public void No_state_after_the_startup_timeout_is_a_fault_and_nothing_is_commanded()
    {
        var rig = new Rig(new ControlLoopOptions { RateHz = 50, Safety = new SafetyOptions { StartupTimeout = TimeSpan.FromSeconds(0.5) } });
        rig.Transport.Started = false;

        rig.RunToStop();

        Assert.Equal(FaultKind.NoStateAtStartup, rig.Loop.Fault);
        Assert.Equal(0, rig.Transport.CommandsSent);
        Assert.Equal(1, rig.Transport.EmergencyStops);
    }

    [Fact]
    public void A_failing_policy_is_a_fault_that_ramps_down_from_the_last_command()
    {
        var rig = new Rig();
        rig.Policy.Output[1] = 4f;
        rig.Steps(3);

        rig.Policy.Failure = new InvalidOperationException("session lost");
        rig.RunToStop();

        Assert.Equal(FaultKind.PolicyError, rig.Loop.Fault);
        Assert.Equal("session lost", rig.Loop.PolicyError);
        var ramp = rig.Transport.History!.Skip(3).Select(c => c[1]).ToArray();
        Assert.Equal([3.2f, 2.4f, 1.6f, 0.8f, 0f], ramp, new FloatTolerance(1e-6f));
        Assert.Equal(1, rig.Transport.EmergencyStops);
    }

    [Fact]
    public void A_non_finite_sensor_reading_is_a_fault_before_the_policy_sees_it()
    {
        var rig = new Rig();
        rig.Policy.Output[1] = 4f;
        rig.Steps(3);

        rig.Transport.State.JointVelocities[0] = double.NaN;
        rig.RunToStop();

        Assert.Equal(FaultKind.NonFiniteObservation, rig.Loop.Fault);
        Assert.Equal(3, rig.Policy.Runs);
        Assert.Equal([0f, 0f], rig.Transport.LastCommand);
    }

    [Fact]
    public void First_commands_ramp_up_from_the_safe_state_at_the_rate_limit()
    {
        var rig = new Rig(new ControlLoopOptions { RateHz = 50, Safety = new SafetyOptions { MaxChangePerSecond = 1 } });
        rig.Policy.Output[1] = 4f;

        rig.Steps(3);

        Assert.Equal([0.2f, 0.4f, 0.6f], rig.Transport.History!.Select(c => c[1]).ToArray(), new FloatTolerance(1e-6f));
    }

    private sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(float obj) => 0;
    }
}
