using Robotics.Contract;

namespace Robotics.Runtime.Tests;

/// <summary>
/// The two-joint robot the runtime tests drive: a position-controlled hip and an effort-controlled knee.
/// tests/Robotics.Training.Tests/ExportTestModels.cs exports the models in Models/ for exactly this contract.
/// </summary>
internal static class TestRobot
{
    public static RobotContract Contract() => new(
        "two_link",
        [
            new JointSpec("hip", -0.8, 0.8, 6.0, 10.0),
            new JointSpec("knee", -1.5, 1.5, 8.0, 4.0),
        ],
        [
            new ActuatorSpec("hip_motor", "hip", "position", -1.0, 1.0),
            new ActuatorSpec("knee_motor", "knee", "effort", -5.0, 5.0),
        ],
        ControlRateHz: 50,
        PhysicsDecimation: 4,
        HasImu: false);

    public static PolicyContract Policy() => new(
        Contract(),
        "balance",
        [
            new ObservationTermSpec("joint_positions", ["hip", "knee"], 2),
            new ObservationTermSpec("joint_velocities", ["hip", "knee"], 2),
            new ObservationTermSpec("previous_action", ["hip_motor", "knee_motor"], 2),
        ],
        [0.0, 0.0],
        [1.0, 5.0]);

    public static string ModelPath(string name) => Path.Combine(AppContext.BaseDirectory, "Models", name);

    /// <summary>The policy exported for <see cref="Policy"/>: 6 observations, 16 tanh units, 2 actions.</summary>
    public static string PolicyModel => ModelPath("two_link_policy.onnx");
}
