using System.Globalization;

namespace Robotics.Training.Monitoring;

/// <summary>
/// Watches each update's approximate KL (<c>losses/approx_kl</c>, the policy after the update against the one that
/// collected the batch) for updates that moved the policy far: a run whose returns fall apart usually shows one such
/// update first, and a per-update metric alone is easy to miss in 8,000 rows. Says so the first time, then at most
/// once per <see cref="Every"/> updates with how many more there were and the largest, so that a collapse does
/// not fill train.log.
/// </summary>
public sealed class KlWatch
{
    /// <summary>Updates between two warnings while the KL stays high.</summary>
    public const int Every = 50;

    private readonly double threshold;
    private int? lastWarned;
    private int unreported;
    private double largest;

    /// <param name="threshold"><c>monitoring.kl_alarm</c>; 0 watches nothing.</param>
    public KlWatch(double threshold) => this.threshold = threshold;

    /// <summary>The warning for update <paramref name="iteration"/>, or null (below the threshold, not finite, or not yet due).</summary>
    public string? Check(int iteration, double approxKl)
    {
        if (threshold <= 0 || !double.IsFinite(approxKl) || approxKl <= threshold) return null;
        unreported++;
        largest = Math.Max(largest, approxKl);
        if (iteration - lastWarned < Every) return null; // null (never warned) compares false

        var c = CultureInfo.InvariantCulture;
        string message = unreported == 1
            ? string.Create(c, $"update {iteration}: approximate KL {approxKl:F3} is above monitoring.kl_alarm ({threshold:G}): this update moved the policy far from the one that collected its batch")
            : string.Create(c, $"update {iteration}: {unreported} updates since update {lastWarned} had an approximate KL above monitoring.kl_alarm ({threshold:G}), the largest {largest:F3}");
        message += "; if returns fall after it, lower the learning rate, set ppo.target_kl, or use lr_schedule: adaptive";
        lastWarned = iteration;
        unreported = 0;
        largest = 0;
        return message;
    }
}
