namespace Robotics.Runtime.Safety;

/// <summary>How the safety layer limits commands between the policy and the robot.</summary>
public sealed record SafetyOptions
{
    /// <summary>Largest change of a command per second, as a fraction of the actuator's command range (10 = full range in 0.1 s).</summary>
    public double MaxChangePerSecond { get; init; } = 10.0;

    /// <summary>Robot state older than this many control periods trips the watchdog.</summary>
    public int WatchdogPeriods { get; init; } = 5;

    /// <summary>Time to ramp from the last command to the safe state when stopping.</summary>
    public TimeSpan RampDown { get; init; } = TimeSpan.FromSeconds(0.5);

    /// <summary>How long to wait for the robot's first state before giving up.</summary>
    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(2);
}
