namespace Robotics.Runtime.Control;

/// <summary>
/// Absolute deadlines at start + k·period, so that lateness in one tick never shifts the next (no drift).
/// A tick that ends after the next deadline is an overrun; when whole periods were missed they are
/// skipped rather than run back to back, keeping the loop in phase.
/// </summary>
public sealed class PeriodScheduler
{
    public PeriodScheduler(long periodTicks, long start)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(periodTicks, 1);
        PeriodTicks = periodTicks;
        Deadline = start + periodTicks;
    }

    public long PeriodTicks { get; }

    /// <summary>When the next tick is due.</summary>
    public long Deadline { get; private set; }

    /// <summary>Ticks whose work ended after the following deadline.</summary>
    public long Overruns { get; private set; }

    /// <summary>Deadlines skipped because the loop was at least one whole period behind.</summary>
    public long SkippedPeriods { get; private set; }

    /// <summary>Lateness of a wake-up at <paramref name="now"/> relative to the current deadline, in ticks.</summary>
    public long ErrorAt(long now) => now - Deadline;

    /// <summary>Called when a tick's work is done at <paramref name="now"/>; moves to the next deadline.</summary>
    public void Complete(long now)
    {
        var next = Deadline + PeriodTicks;
        if (now > next)
        {
            Overruns++;
            var behind = (now - next) / PeriodTicks;
            SkippedPeriods += behind;
            next += behind * PeriodTicks;
        }

        Deadline = next;
    }
}
