using System.Globalization;
using Robotics.Contract;
using Robotics.Runtime.Transport;

namespace Robotics.Runtime.Policy;

/// <summary>
/// Decides whether a policy may drive a robot: its robot contract must equal the robot's, and the
/// robot's handshake must report the same contract. Any difference refuses, naming each one.
/// </summary>
public static class ContractCheck
{
    /// <summary>Every reason the policy must not drive this robot; empty when it may.</summary>
    public static IReadOnlyList<string> Differences(PolicyContract policy, RobotContract? robot, RobotHandshake? handshake)
    {
        var differences = new List<string>();
        if (robot is not null)
        {
            foreach (var d in policy.Robot.DifferencesFrom(robot))
                differences.Add($"policy vs robot: {d}");
        }

        if (handshake is not null)
        {
            var expected = policy.Robot;
            if (handshake.ContractHash != expected.ShortHash)
                differences.Add($"handshake contract hash: policy {expected.ShortHash:x16} vs robot {handshake.ContractHash:x16}"
                    + (robot is null ? " (pass the robot's contract file to see which fields differ)" : ""));
            if (handshake.RobotName != expected.Robot)
                differences.Add($"handshake robot: policy '{expected.Robot}' vs robot '{handshake.RobotName}'");
            if (handshake.JointCount != expected.Joints.Count)
                differences.Add($"handshake joints: policy {expected.Joints.Count} vs robot {handshake.JointCount}");
            if (handshake.ActuatorCount != expected.Actuators.Count)
                differences.Add($"handshake actuators: policy {expected.Actuators.Count} vs robot {handshake.ActuatorCount}");
            if (handshake.ControlRateHz != expected.ControlRateHz)
                differences.Add(string.Create(CultureInfo.InvariantCulture,
                    $"handshake control rate: policy {expected.ControlRateHz} Hz vs robot {handshake.ControlRateHz} Hz"));
        }

        return differences;
    }

    /// <summary>
    /// Differences between two policy contracts (robot, task, observation layout, commands, action map),
    /// e.g. a model against the simulated task it is evaluated on; empty when they match. With
    /// <paramref name="compareTask"/> false the task's name may differ (another task of the same robot, observations
    /// and actions: other randomization, other episode length), and everything else must match.
    /// </summary>
    public static IReadOnlyList<string> PolicyDifferences(PolicyContract policy, PolicyContract other, bool compareTask = true)
    {
        var differences = new List<string>();
        foreach (var d in policy.Robot.DifferencesFrom(other.Robot))
            differences.Add($"policy vs task: {d}");
        if (compareTask && policy.Task != other.Task) differences.Add($"policy vs task: task '{policy.Task}' vs '{other.Task}'");
        for (int i = 0; i < Math.Max(policy.Observations.Count, other.Observations.Count); i++)
        {
            var a = i < policy.Observations.Count ? policy.Observations[i] : null;
            var b = i < other.Observations.Count ? other.Observations[i] : null;
            if (a is null || b is null || a.Kind != b.Kind || a.Size != b.Size || !a.Names.SequenceEqual(b.Names))
                differences.Add($"policy vs task: observations[{i}]: {Describe(a)} vs {Describe(b)}");
        }

        if (!policy.ActionOffset.SequenceEqual(other.ActionOffset))
            differences.Add($"policy vs task: action_offset [{string.Join(", ", policy.ActionOffset)}] vs [{string.Join(", ", other.ActionOffset)}]");
        if (!policy.ActionScale.SequenceEqual(other.ActionScale))
            differences.Add($"policy vs task: action_scale [{string.Join(", ", policy.ActionScale)}] vs [{string.Join(", ", other.ActionScale)}]");
        if (policy.ActionMaxChangePerSecond != other.ActionMaxChangePerSecond)
            differences.Add($"policy vs task: action_max_change_per_second {Limit(policy.ActionMaxChangePerSecond)} vs {Limit(other.ActionMaxChangePerSecond)}");
        if (!policy.Commands.SequenceEqual(other.Commands))
            differences.Add($"policy vs task: commands [{string.Join("; ", policy.Commands.Select(Describe))}] vs [{string.Join("; ", other.Commands.Select(Describe))}]");
        return differences;
    }

    private static string Limit(double? perSecond) => perSecond is { } value ? value.ToString(CultureInfo.InvariantCulture) : "none";

    /// <summary>A command with its components' ranges, e.g. "velocity: forward -0.3 to 0.6, yaw_rate -0.5 to 0.5".</summary>
    private static string Describe(CommandSpec command) =>
        $"{command.Name}: " + string.Join(", ", command.Components.Select((c, i) =>
            string.Create(CultureInfo.InvariantCulture, $"{c} {command.Min[i]} to {command.Max[i]}")));

    private static string Describe(ObservationTermSpec? term) =>
        term is null ? "(none)" : $"{term.Kind}({string.Join(", ", term.Names)}; {term.Size})";

    /// <summary>Throws <see cref="ContractMismatchException"/> naming every difference.</summary>
    public static void Require(PolicyContract policy, RobotContract? robot, RobotHandshake? handshake)
    {
        var differences = Differences(policy, robot, handshake);
        if (differences.Count > 0) throw new ContractMismatchException(differences);
    }
}
