using Robotics.Runtime.Control;
using Robotics.Runtime.Safety;

namespace Robotics.Runtime.Telemetry;

/// <summary>One control tick as written to the telemetry file (one CSV row, plus the commands sent).</summary>
public struct TickRecord
{
    public long Tick;
    public double TimeSeconds;
    public float PeriodErrorMicros;
    public float InferenceMicros;
    public float WorkMicros;
    public float StateAgeMicros;
    public uint StateSequence;
    public LoopPhase Phase;
    public SafetyFlags Safety;
}
