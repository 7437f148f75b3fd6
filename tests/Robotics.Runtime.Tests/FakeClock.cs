using Robotics.Runtime.Control;

namespace Robotics.Runtime.Tests;

/// <summary>A clock in microsecond ticks that jumps to each deadline plus a chosen wake-up latency.</summary>
internal sealed class FakeClock : IControlClock
{
    public long Frequency => 1_000_000;

    public long Now { get; set; }

    /// <summary>How late each wake-up is, in ticks.</summary>
    public long WakeLatency { get; set; }

    /// <summary>Time that passes during each tick's work, in ticks (added when the loop reads the clock after waking).</summary>
    public void Advance(long ticks) => Now += ticks;

    public void WaitUntil(long deadline)
    {
        if (Now < deadline) Now = deadline;
        Now += WakeLatency;
    }
}
