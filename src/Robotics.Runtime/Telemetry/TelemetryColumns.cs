using Robotics.Contract;

namespace Robotics.Runtime.Telemetry;

/// <summary>
/// What a telemetry row holds besides the timing: the commands sent per actuator, and where known the robot state
/// as received (position and velocity per joint, the IMU when the robot has one) and the operator's command the
/// policy observed.
/// </summary>
public sealed record TelemetryColumns(
    IReadOnlyList<string> Actuators,
    IReadOnlyList<string> Joints,
    bool Imu,
    IReadOnlyList<string> CommandComponents)
{
    /// <summary>Commands only, as the first telemetry files had.</summary>
    public static TelemetryColumns CommandsOnly(IReadOnlyList<string> actuators) => new(actuators, [], false, []);

    /// <summary>Every column the policy's contract defines.</summary>
    public static TelemetryColumns For(PolicyContract contract) => new(
        contract.Robot.Actuators.Select(a => a.Name).ToList(),
        contract.Robot.Joints.Select(j => j.Name).ToList(),
        contract.Robot.HasImu,
        contract.Commands.SelectMany(c => c.Components.Select(component => $"{c.Name}_{component}")).ToList());

    /// <summary>Robot-state and operator-command values per row, after the commands sent.</summary>
    public int StateWidth => 2 * Joints.Count + (Imu ? 10 : 0) + CommandComponents.Count;

    public IEnumerable<string> StateHeader()
    {
        foreach (var j in Joints) yield return $"q_{j}";
        foreach (var j in Joints) yield return $"qd_{j}";
        if (Imu)
        {
            foreach (var axis in new[] { "qw", "qx", "qy", "qz", "wx", "wy", "wz", "ax", "ay", "az" }) yield return $"imu_{axis}";
        }

        foreach (var c in CommandComponents) yield return $"operator_{c}";
    }
}
