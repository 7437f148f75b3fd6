namespace Robotics.Contract.Definitions;

/// <summary>What an actuator command means; the values of <see cref="ActuatorSpec.Mode"/>.</summary>
public static class ActuatorModes
{
    /// <summary>Force or torque (N or N·m).</summary>
    public const string Effort = "effort";

    /// <summary>Target position of a servo (m or rad).</summary>
    public const string Position = "position";

    /// <summary>Target velocity of a servo (m/s or rad/s).</summary>
    public const string Velocity = "velocity";

    public static readonly IReadOnlyList<string> All = [Effort, Position, Velocity];
}
