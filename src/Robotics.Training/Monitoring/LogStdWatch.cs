using System.Globalization;

namespace Robotics.Training.Monitoring;

/// <summary>
/// Watches the policy's smallest log-std (<c>policy/log_std_min</c>) against <c>monitoring.log_std_floor</c>: below
/// it an action dimension has all but stopped exploring. A policy that got there usually stays for the rest of the
/// run, so this says so the first time and then at most once per <see cref="PacedAlarm.Every"/> updates with how
/// many updates were below and the lowest, instead of on each of them; the per-update flag stays in the metrics
/// (<c>policy/log_std_alarm</c>).
/// </summary>
public sealed class LogStdWatch
{
    private readonly double floor;
    private readonly PacedAlarm alarm;

    /// <param name="floor"><c>monitoring.log_std_floor</c>.</param>
    public LogStdWatch(double floor)
    {
        this.floor = floor;
        alarm = new PacedAlarm(floor, isFloor: true);
    }

    /// <summary>Whether <paramref name="logStdMin"/> is below the floor (the metrics' alarm flag); NaN is not.</summary>
    public bool IsBelow(double logStdMin) => alarm.IsPast(logStdMin);

    /// <summary>The warning for update <paramref name="iteration"/>, or null (at or above the floor, or not yet due).</summary>
    public string? Check(int iteration, double logStdMin)
    {
        if (alarm.Observe(iteration, logStdMin) is not { } report) return null;

        var c = CultureInfo.InvariantCulture;
        string message = report.Single
            ? string.Create(c, $"update {iteration}: log-std {logStdMin:F2} is below the floor {floor:F2} (monitoring.log_std_floor)")
            : string.Create(c, $"update {iteration}: {report.Count} updates since update {report.Since} had a log-std below the floor {floor:F2} (monitoring.log_std_floor), the lowest {report.Worst:F2}");
        return message + "; exploration has nearly stopped";
    }
}
