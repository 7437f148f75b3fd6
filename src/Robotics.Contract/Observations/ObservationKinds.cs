namespace Robotics.Contract.Observations;

/// <summary>
/// Names of observation terms (<see cref="ObservationTermSpec.Kind"/>) and what their
/// <see cref="ObservationTermSpec.Names"/> hold. The first group can be built on a robot from a
/// <see cref="RobotState"/>; the second exists only in simulation.
/// </summary>
public static class ObservationKinds
{
    /// <summary>Joint positions (m or rad); Names are joint names.</summary>
    public const string JointPositions = "joint_positions";

    /// <summary>Joint velocities (m/s or rad/s); Names are joint names.</summary>
    public const string JointVelocities = "joint_velocities";

    /// <summary>
    /// Sine and cosine of joint angles, per joint (sin q, cos q), so Size is twice the number of joints; Names are
    /// joint names. Continuous in the angle, so a joint that turns freely (a pendulum, a wheel) is observed without
    /// the jump of a wrapped angle or the growth of an unwrapped one.
    /// </summary>
    public const string JointAnglesSinCos = "joint_angles_sincos";

    /// <summary>Joint efforts (N or N·m) as measured; Names are joint names.</summary>
    public const string JointEfforts = "joint_efforts";

    /// <summary>The unit gravity direction in the IMU frame (x, y, z); (0, 0, -1) when level.</summary>
    public const string ProjectedGravity = "projected_gravity";

    /// <summary>IMU orientation in the world frame as a quaternion (w, x, y, z) with w >= 0.</summary>
    public const string ImuOrientation = "imu_orientation";

    /// <summary>IMU angular velocity in its own frame (x, y, z), rad/s.</summary>
    public const string ImuAngularVelocity = "imu_angular_velocity";

    /// <summary>
    /// The accelerometer's specific force in the IMU frame (x, y, z), m/s²: (0, 0, 9.81) at rest and level. What a
    /// shove does to the body shows here at once, before the body has tilted.
    /// </summary>
    public const string ImuLinearAcceleration = "imu_linear_acceleration";

    /// <summary>The command sent at the previous control step, robot units; Names are actuator names.</summary>
    public const string PreviousAction = "previous_action";

    /// <summary>A command (target, velocity) from <see cref="PolicyContract.Commands"/>; Names holds the command's name.</summary>
    public const string Command = "command";

    /// <summary>Simulation only: a body's frame origin in the world (x, y, z), m; Names = [body].</summary>
    public const string BodyPosition = "body_position";

    /// <summary>Simulation only: a body's orientation quaternion (w, x, y, z) with w >= 0; Names = [body].</summary>
    public const string BodyOrientation = "body_orientation";

    /// <summary>Simulation only: a site's position (x, y, z), m, in the world or relative to a second site; Names = [site] or [site, reference site].</summary>
    public const string SitePosition = "site_position";

    /// <summary>Simulation only: the readings of an MJCF sensor; Names = [sensor].</summary>
    public const string Sensor = "sensor";

    /// <summary>Simulation only: a body's linear velocity in its own frame (x, y, z), m/s; Names = [body].</summary>
    public const string BodyLinearVelocity = "body_linear_velocity";

    /// <summary>Simulation only: the external force on a body (a push), world axes (x, y, z), N; Names = [body].</summary>
    public const string BodyExternalForce = "body_external_force";

    /// <summary>Simulation only: each actuator's gain relative to the model's (1 = nominal); Names are actuator names.</summary>
    public const string ActuatorGainScale = "actuator_gain_scale";

    /// <summary>Simulation only: each named geom's sliding friction relative to the model's; Names are geom names.</summary>
    public const string GeomFrictionScale = "geom_friction_scale";

    /// <summary>Simulation only: each named body's mass relative to the model's; Names are body names.</summary>
    public const string BodyMassScale = "body_mass_scale";

    /// <summary>Simulation only: the episode's action latency in control periods; Names = [steps].</summary>
    public const string ActionLatency = "action_latency";

    /// <summary>Terms a real robot can supply, given the joints it reports and an IMU where needed.</summary>
    public static readonly IReadOnlyList<string> RobotSupplied =
        [JointPositions, JointAnglesSinCos, JointVelocities, JointEfforts, ProjectedGravity, ImuOrientation, ImuAngularVelocity, ImuLinearAcceleration, PreviousAction, Command];

    public static readonly IReadOnlyList<string> SimulationOnly =
        [BodyPosition, BodyOrientation, SitePosition, Sensor, BodyLinearVelocity, BodyExternalForce, ActuatorGainScale, GeomFrictionScale, BodyMassScale, ActionLatency];

    public static readonly IReadOnlyList<string> ImuTerms = [ProjectedGravity, ImuOrientation, ImuAngularVelocity, ImuLinearAcceleration];
}
