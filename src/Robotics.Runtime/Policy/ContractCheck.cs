using System.Globalization;
using Robotics.Contract;
using Robotics.FirmwareInterface.Transport;

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

    /// <summary>Throws <see cref="ContractMismatchException"/> naming every difference.</summary>
    public static void Require(PolicyContract policy, RobotContract? robot, RobotHandshake? handshake)
    {
        var differences = Differences(policy, robot, handshake);
        if (differences.Count > 0) throw new ContractMismatchException(differences);
    }
}
