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

    private readonly bool lowerIsWorse;
    private int? lastReported;
    private int unreported;
    private double worst;

    /// <param name="lowerIsWorse">Whether the worst of several values is the lowest (a floor) or the highest (a ceiling).</param>
    public PacedAlarm(bool lowerIsWorse) => this.lowerIsWorse = lowerIsWorse;

    /// <summary>
    /// Counts update <paramref name="iteration"/>, whose <paramref name="value"/> is past the threshold, and returns
    /// the report due now, or null when one was given fewer than <see cref="Every"/> updates ago.
    /// </summary>
    public AlarmReport? Fire(int iteration, double value)
    {
        worst = unreported == 0 ? value : lowerIsWorse ? Math.Min(worst, value) : Math.Max(worst, value);
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
