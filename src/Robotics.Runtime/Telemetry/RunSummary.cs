using System.Globalization;
using System.Text;
using Robotics.Runtime.Control;
using Robotics.Runtime.Transport;

namespace Robotics.Runtime.Telemetry;

/// <summary>What a run of the control loop did, printed at the end and written as JSON.</summary>
public sealed record RunSummary(
    double RateHz,
    long Ticks,
    double PeriodErrorP50Micros,
    double PeriodErrorP99Micros,
    double PeriodErrorMaxMicros,
    long Overruns,
    long SkippedPeriods,
    double InferenceP50Micros,
    double InferenceP99Micros,
    double InferenceMaxMicros,
    double WorkP99Micros,
    long SafetyInterventions,
    string StopReason,
    string Fault,
    string? FaultDetail,
    long FramesSent,
    long FramesReceived,
    long BadFrames,
    string? TelemetryFile,
    long TelemetryDropped)
{
    public static RunSummary From(ControlLoop loop, double rateHz, LinkStatistics link, TelemetryWriter? telemetry)
    {
        var detail = loop.Fault switch
        {
            FaultKind.StaleState => string.Create(CultureInfo.InvariantCulture, $"robot state was {loop.FaultStateAgeMicros:F0} us old"),
            FaultKind.NonFiniteAction => "the policy produced NaN or Inf; the safe command was sent instead",
            FaultKind.NonFiniteObservation => "the robot state gave a NaN or Inf observation",
            FaultKind.NoStateAtStartup => "the robot sent no state after the link opened",
            FaultKind.LinkError => loop.LinkError,
            FaultKind.PolicyError => $"building the observation or running the policy failed: {loop.PolicyError}",
            _ => null,
        };
        return new RunSummary(
            rateHz,
            loop.Ticks,
            loop.PeriodError.Percentile(0.50),
            loop.PeriodError.Percentile(0.99),
            loop.PeriodError.MaxMicros,
            loop.Scheduler?.Overruns ?? 0,
            loop.Scheduler?.SkippedPeriods ?? 0,
            loop.Inference.Percentile(0.50),
            loop.Inference.Percentile(0.99),
            loop.Inference.MaxMicros,
            loop.Work.Percentile(0.99),
            loop.SafetyInterventions,
            Snake(loop.StopReason.ToString()),
            Snake(loop.Fault.ToString()),
            detail,
            link.FramesSent,
            link.FramesReceived,
            link.BadChecksums + link.MalformedFrames,
            telemetry?.Path,
            telemetry?.Dropped ?? 0);
    }

    public string ToText()
    {
        var s = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        s.AppendLine(c, $"ticks              {Ticks} at {RateHz} Hz");
        s.AppendLine(c, $"period error (us)  p50 {PeriodErrorP50Micros:F0}  p99 {PeriodErrorP99Micros:F0}  max {PeriodErrorMaxMicros:F0}");
        s.AppendLine(c, $"overruns           {Overruns} (skipped periods {SkippedPeriods})");
        s.AppendLine(c, $"inference (us)     p50 {InferenceP50Micros:F0}  p99 {InferenceP99Micros:F0}  max {InferenceMaxMicros:F0}");
        s.AppendLine(c, $"tick work p99 (us) {WorkP99Micros:F0}");
        s.AppendLine(c, $"safety changed     {SafetyInterventions} ticks");
        s.AppendLine(c, $"link               {FramesSent} sent, {FramesReceived} received, {BadFrames} bad");
        s.Append(c, $"stopped            {StopReason}");
        if (Fault != "none") s.Append(c, $", fault {Fault}: {FaultDetail}");
        s.AppendLine();
        if (TelemetryFile is not null) s.AppendLine(c, $"telemetry          {TelemetryFile} ({TelemetryDropped} ticks dropped)");
        return s.ToString();
    }

    private static string Snake(string pascal)
    {
        var s = new StringBuilder();
        foreach (var ch in pascal)
        {
            if (char.IsUpper(ch) && s.Length > 0) s.Append('_');
            s.Append(char.ToLowerInvariant(ch));
        }

        return s.ToString();
    }
}
