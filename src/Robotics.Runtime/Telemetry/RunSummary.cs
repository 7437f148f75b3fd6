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
    /// <summary>Frames the robot sent that never arrived, counted from gaps in their sequence numbers.</summary>
    public long FramesLostFromRobot { get; init; }

    /// <summary>Commands this host could not hand to the link (device gone, queue full): lost on the way to the robot.</summary>
    public long FramesLostToRobot { get; init; }

    /// <summary>Commands written to the link that the robot says it never received (lost or damaged on the line).</summary>
    public long FramesLostToRobotInTransit { get; init; }

    /// <summary>Bytes the control thread allocated while the loop ran (0 is the goal).</summary>
    public long LoopAllocatedBytes { get; init; }

    /// <summary>Milliseconds from the start of the process to the first command, where the program measured it.</summary>
    public double? FirstCommandAfterProcessStartMillis { get; init; }

    /// <summary>Ticks on which a robot state was read.</summary>
    public long StatesRead { get; init; }

    /// <summary>Commands handed to the link, ramp-down included.</summary>
    public long CommandsSent { get; init; }

    /// <summary>How far each joint moved, in contract order and units; empty when no state arrived.</summary>
    public IReadOnlyList<JointRange> JointRanges { get; init; } = [];

    public static RunSummary From(ControlLoop loop, double rateHz, LinkStatistics link, TelemetryWriter? telemetry)
    {
        var detail = loop.Fault switch
        {
            FaultKind.StaleState => string.Create(CultureInfo.InvariantCulture,
                $"no new robot state within {loop.FaultStateLimitMicros / 1000:0.#} ms of driving on the last one (the newest was {loop.FaultStateAgeMicros:F0} us old): the robot stopped sending, or this machine stalled; where stalls are expected (a loaded machine, an emulated robot) allow more with --watchdog-periods (now {loop.WatchdogPeriods})"),
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
            telemetry?.Dropped ?? 0)
        {
            FramesLostFromRobot = link.SequenceGaps,
            FramesLostToRobot = link.SendFailures,
            FramesLostToRobotInTransit = link.CommandsNotReceived,
            StatesRead = loop.StatesRead,
            CommandsSent = loop.CommandsSent,
            LoopAllocatedBytes = loop.AllocatedBytes,
            JointRanges = loop.JointRanges.ToList(),
        };
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
        s.AppendLine(c, $"loop allocations   {LoopAllocatedBytes} bytes");
        if (FirstCommandAfterProcessStartMillis is { } first) s.AppendLine(c, $"first command      {first:F1} ms after the process started");
        s.AppendLine(c, $"link               {FramesSent} sent, {FramesReceived} received, {BadFrames} bad");
        s.AppendLine(c, $"frames lost        {FramesLostFromRobot} from the robot (sequence gaps), {FramesLostToRobot} to the robot (not written), {FramesLostToRobotInTransit} to the robot (written but not received)");
        foreach (var j in JointRanges)
            s.AppendLine(c, $"joint {j.Joint,-12} position {j.PositionMin:F3} .. {j.PositionMax:F3}, max |velocity| {j.MaxAbsVelocity:F3}");
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
