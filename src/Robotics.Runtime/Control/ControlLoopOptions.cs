using Robotics.Runtime.Safety;

namespace Robotics.Runtime.Control;

/// <summary>How fast and how long the control loop runs, and how it guards the robot.</summary>
public sealed record ControlLoopOptions
{
    /// <summary>Control rate in Hz, 1 to 1000.</summary>
    public double RateHz { get; init; } = 50;

    /// <summary>Stop after this long of running (ramping down afterwards); null runs until stopped.</summary>
    public TimeSpan? Duration { get; init; }

    public SafetyOptions Safety { get; init; } = new();

    /// <summary>The last part of each wait that is spun rather than slept, to hide the OS's wake-up latency.</summary>
    public TimeSpan SpinWindow { get; init; } = TimeSpan.FromMicroseconds(300);

    public void Validate()
    {
        if (!(RateHz >= 1 && RateHz <= 1000))
            throw new ArgumentOutOfRangeException(nameof(RateHz), RateHz, "the control rate must be between 1 and 1000 Hz");
        if (Duration is { } d && d <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(Duration), d, "the duration must be positive");
        if (Safety.WatchdogPeriods < 1)
            throw new ArgumentOutOfRangeException(nameof(Safety.WatchdogPeriods), Safety.WatchdogPeriods, "the watchdog needs at least one period");
        if (Safety.RampDown < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(Safety.RampDown), Safety.RampDown, "the ramp-down time cannot be negative");
        if (!(Safety.MaxChangePerSecond > 0))
            throw new ArgumentOutOfRangeException(nameof(Safety.MaxChangePerSecond), Safety.MaxChangePerSecond, "the rate-of-change limit must be positive");
    }
}
