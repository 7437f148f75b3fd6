using System.Globalization;

namespace Robotics.Training.Monitoring;

/// <summary>
/// Watches each update's approximate KL (<c>losses/approx_kl</c>, the policy after the update against the one that
/// collected the batch) for updates that moved the policy far: a run whose returns fall apart usually shows one such
/// update first, and a per-update metric alone is easy to miss in 8,000 rows. Says so the first time, then at most
/// once per <see cref="PacedAlarm.Every"/> updates with how many more there were and the largest.
/// </summary>
public sealed class KlWatch
{
    private readonly double threshold;
    private readonly PacedAlarm alarm;

    /// <param name="threshold"><c>monitoring.kl_alarm</c>; 0 watches nothing.</param>
    public KlWatch(double threshold)
    {
        this.threshold = threshold;
        alarm = new PacedAlarm(threshold, isFloor: false);
    }

    /// <summary>The warning for update <paramref name="iteration"/>, or null (below the threshold, not finite, or not yet due).</summary>
    public string? Check(int iteration, double approxKl)
    {
        if (threshold <= 0 || !double.IsFinite(approxKl) || alarm.Observe(iteration, approxKl) is not { } report) return null;

        var c = CultureInfo.InvariantCulture;
        string message = report.Single
            ? string.Create(c, $"update {iteration}: approximate KL {approxKl:F3} is above monitoring.kl_alarm ({threshold:G}): this update moved the policy far from the one that collected its batch")
            : string.Create(c, $"update {iteration}: {report.Count} updates since update {report.Since} had an approximate KL above monitoring.kl_alarm ({threshold:G}), the largest {report.Worst:F3}");
        return message + "; if returns fall after it, lower the learning rate, set ppo.target_kl, or use lr_schedule: adaptive";
    }
}
