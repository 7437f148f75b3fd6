namespace Robotics.Runtime.Safety;

/// <summary>What the safety layer changed in one tick's command; recorded per tick in the telemetry.</summary>
[Flags]
public enum SafetyFlags
{
    None = 0,
    Clamped = 1,
    RateLimited = 2,
    NonFinite = 4,
}
