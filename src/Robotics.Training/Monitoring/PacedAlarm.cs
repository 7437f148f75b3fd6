namespace Robotics.Training.Monitoring;

/// <summary>
/// Paces a per-update alarm for train.log: the first update past its threshold is reported at once, later ones at
/// most once per <see cref="Every"/> updates, summed up (how many since the last report and the worst value), so
/// that a run stuck past the threshold does not write a warning on every one of its thousands of updates.
/// </summary>
public sealed class PacedAlarm
{
    /// <summary>Updates between two reports while the alarm keeps firing.</summary>
    public const int Every = 50;

    private readonly double limit;
    private readonly bool isFloor;
    private int? lastReported;
    private int unreported;
    private double worst;

    /// <param name="limit">The threshold: values past it fire the alarm (a value at it does not).</param>
    /// <param name="isFloor">Whether values below <paramref name="limit"/> fire it (their worst the lowest), or values above it (their worst the highest).</param>
    public PacedAlarm(double limit, bool isFloor)
    {
        this.limit = limit;
        this.isFloor = isFloor;
    }

    /// <summary>Whether <paramref name="value"/> is past the threshold; NaN is not.</summary>
    public bool IsPast(double value) => isFloor ? value < limit : value > limit;

    /// <summary>
    /// Looks at update <paramref name="iteration"/>'s <paramref name="value"/>: when past the threshold, counts it and
    /// returns the report due now; null when it is not past, or when a report was given fewer than
    /// <see cref="Every"/> updates ago.
    /// </summary>
    public AlarmReport? Observe(int iteration, double value)
    {
        if (!IsPast(value)) return null;
        worst = unreported == 0 ? value : isFloor ? Math.Min(worst, value) : Math.Max(worst, value);
        unreported++;
        if (iteration - lastReported < Every) return null; // null (never reported) compares false

        var report = new AlarmReport(unreported, lastReported, worst);
        lastReported = iteration;
        unreported = 0;
        return report;
    }
}

/// <summary>
/// What a <see cref="PacedAlarm"/> has to say: <paramref name="Count"/> updates past the threshold since update
/// <paramref name="Since"/> (null: the first report of the run), the worst of them <paramref name="Worst"/>.
/// </summary>
public readonly record struct AlarmReport(int Count, int? Since, double Worst)
{
    /// <summary>Whether this report is about the one update that fired (the first of the run, or the first after a calm spell).</summary>
    public bool Single => Count == 1;
}
