using Robotics.FirmwareInterface.Protocol;

namespace Robotics.FirmwareInterface.Firmware;

/// <summary>Per-actuator command range and safe target, and the watchdog timeout, as the firmware is configured.</summary>
public sealed record FirmwareLimits(float[] CommandMin, float[] CommandMax, float[] SafeTarget, TimeSpan WatchdogTimeout)
{
    public int ActuatorCount => CommandMin.Length;
}

/// <summary>What a rule reports: <see cref="FaultCode.None"/>, or a fault and its detail (actuator index or count).</summary>
public readonly record struct RuleReport(FaultCode Code, ushort Detail)
{
    public static readonly RuleReport None = new(FaultCode.None, FaultMessage.NoDetail);
}

/// <summary>
/// The firmware's own rules, the same as firmware-interface/c/rl_firmware.c: a watchdog that puts the actuators
/// in their safe targets when no valid command arrives in time, limits that clamp and report, a latched
/// emergency stop, and a count of every command received intact that states report to the host. The caller owns
/// the clock (microseconds) and applies <see cref="Targets"/>.
/// </summary>
public sealed class FirmwareRules
{
    private readonly FirmwareLimits limits;
    private readonly ulong watchdogMicros;
    private ulong lastCommandMicros;

    public FirmwareRules(FirmwareLimits limits)
    {
        var count = limits.ActuatorCount;
        if (limits.CommandMax.Length != count || limits.SafeTarget.Length != count)
            throw new ArgumentException($"limits disagree on the actuator count: {count} minimums, {limits.CommandMax.Length} maximums, {limits.SafeTarget.Length} safe targets");
        for (var i = 0; i < count; i++)
        {
            if (!(limits.CommandMin[i] <= limits.CommandMax[i]))
                throw new ArgumentException($"actuator {i}: command range [{limits.CommandMin[i]}, {limits.CommandMax[i]}] is empty");
        }

        if (limits.WatchdogTimeout <= TimeSpan.Zero)
            throw new ArgumentException("the watchdog timeout must be positive");
        this.limits = limits;
        watchdogMicros = (ulong)(limits.WatchdogTimeout.Ticks / 10);
        Targets = new float[count];
        EnterSafeState();
    }

    /// <summary>What the actuators apply now, in the contract's units.</summary>
    public float[] Targets { get; }

    public RobotStatusFlags Status { get; private set; }

    /// <summary>Command frames received intact, whatever the rules made of them, wrapping at 2³².</summary>
    public uint CommandsReceived { get; private set; }

    /// <summary>Header sequence of the newest command frame received.</summary>
    public uint LastCommandSequence { get; private set; }

    public void OnHandshake(ulong nowMicros)
    {
        Status = RobotStatusFlags.Linked;
        lastCommandMicros = nowMicros;
        EnterSafeState();
    }

    /// <summary>A command arrived intact in the frame of header sequence <paramref name="sequence"/>: counted, then judged.</summary>
    public RuleReport OnCommand(CommandMode mode, ReadOnlySpan<float> targets, uint sequence, ulong nowMicros)
    {
        // Counted before the rules: the host measures the line, and a refused command did cross it.
        CommandsReceived = unchecked(CommandsReceived + 1);
        LastCommandSequence = sequence;
        if (!Status.HasFlag(RobotStatusFlags.Linked))
            return new RuleReport(FaultCode.NotLinked, FaultMessage.NoDetail);
        if (Status.HasFlag(RobotStatusFlags.EmergencyStop))
            return new RuleReport(FaultCode.EmergencyStop, FaultMessage.NoDetail);
        if (targets.Length != Targets.Length)
        {
            Status |= RobotStatusFlags.CommandRejected;
            return new RuleReport(FaultCode.CommandRejected, (ushort)targets.Length);
        }

        for (var i = 0; i < targets.Length; i++)
        {
            if (!float.IsFinite(targets[i]))
            {
                Status |= RobotStatusFlags.CommandRejected;
                return new RuleReport(FaultCode.CommandRejected, (ushort)i);
            }
        }

        lastCommandMicros = nowMicros;
        Status &= ~(RobotStatusFlags.CommandRejected | RobotStatusFlags.CommandClamped | RobotStatusFlags.WatchdogExpired);
        if (mode != CommandMode.Active)
        {
            EnterSafeState();
            return RuleReport.None;
        }

        var firstClamped = FaultMessage.NoDetail;
        for (var i = 0; i < targets.Length; i++)
        {
            var target = Math.Clamp(targets[i], limits.CommandMin[i], limits.CommandMax[i]);
            if (target != targets[i] && firstClamped == FaultMessage.NoDetail)
                firstClamped = (ushort)i;
            Targets[i] = target;
        }

        Status = (Status & ~RobotStatusFlags.SafeState) | RobotStatusFlags.Active;
        if (firstClamped == FaultMessage.NoDetail)
            return RuleReport.None;
        Status |= RobotStatusFlags.CommandClamped;
        return new RuleReport(FaultCode.CommandClamped, firstClamped);
    }

    public void OnEmergencyStop()
    {
        Status |= RobotStatusFlags.EmergencyStop;
        EnterSafeState();
    }

    /// <summary>Runs the watchdog; reports <see cref="FaultCode.WatchdogExpired"/> once, when it trips.</summary>
    public RuleReport Tick(ulong nowMicros)
    {
        if (!Status.HasFlag(RobotStatusFlags.Active) || nowMicros - lastCommandMicros <= watchdogMicros)
            return RuleReport.None;
        EnterSafeState();
        Status |= RobotStatusFlags.WatchdogExpired;
        return new RuleReport(FaultCode.WatchdogExpired, FaultMessage.NoDetail);
    }

    /// <summary>Readable text of a report, for fault frames.</summary>
    public string Describe(RuleReport report) => report.Code switch
    {
        FaultCode.CommandClamped => $"actuator {report.Detail}: target clamped to [{limits.CommandMin[report.Detail]}, {limits.CommandMax[report.Detail]}]",
        FaultCode.CommandRejected => $"command rejected: expected {Targets.Length} finite targets",
        FaultCode.WatchdogExpired => $"no valid command for {limits.WatchdogTimeout.TotalMilliseconds:0.#} ms: actuators in the safe state",
        FaultCode.NotLinked => "command before handshake ignored",
        FaultCode.EmergencyStop => "emergency stop latched: handshake again to resume",
        _ => report.Code.ToString(),
    };

    private void EnterSafeState()
    {
        limits.SafeTarget.CopyTo(Targets, 0);
        Status = (Status & ~RobotStatusFlags.Active) | RobotStatusFlags.SafeState;
    }
}
