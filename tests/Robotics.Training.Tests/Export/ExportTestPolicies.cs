using Robotics.Contract;
using Robotics.Training.Policies;

namespace Robotics.Training.Tests.Export;

/// <summary>Hand-built policies with seeded random weights, so export is tested without training.</summary>
internal static class ExportTestPolicies
{
    /// <summary>
    /// The two-joint robot of the runtime tests (tests/Robotics.Runtime.Tests/TestRobot.cs must stay identical):
    /// a position-controlled hip and an effort-controlled knee.
    /// </summary>
    public static PolicyContract TwoLinkContract() => new(
        new RobotContract(
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
            HasImu: false),
        "balance",
        [
            new ObservationTermSpec("joint_positions", ["hip", "knee"], 2),
            new ObservationTermSpec("joint_velocities", ["hip", "knee"], 2),
            new ObservationTermSpec("previous_action", ["hip_motor", "knee_motor"], 2),
        ],
        [0.0, 0.0],
        [1.0, 5.0]);

    /// <summary>A contract with <paramref name="observations"/> inputs and <paramref name="actuators"/> effort actuators of range ±<paramref name="range"/>.</summary>
    public static PolicyContract WideContract(int observations, int actuators, double range)
    {
        var joints = Enumerable.Range(0, actuators).Select(i => new JointSpec($"j{i}", -3, 3, 20, range)).ToList();
        var motors = Enumerable.Range(0, actuators).Select(i => new ActuatorSpec($"m{i}", $"j{i}", "effort", -range, range)).ToList();
        return new PolicyContract(
            new RobotContract("wide", joints, motors, 500, 2, false),
            "reach",
            [new ObservationTermSpec("sensor", Enumerable.Range(0, observations).Select(i => $"s{i}").ToList(), observations)],
            Enumerable.Range(0, actuators).Select(i => 0.1 * i).ToList(),
            Enumerable.Range(0, actuators).Select(_ => range * 0.9).ToList());
    }

    public static ExportablePolicy Random(PolicyContract contract, int[] hidden, string activation = "tanh", string squash = "clip", int seed = 1)
    {
        var rng = new Random(seed);
        int obs = contract.ObservationSize;
        var mean = Enumerable.Range(0, obs).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var variance = Enumerable.Range(0, obs).Select(_ => (float)(0.01 + rng.NextDouble() * 4)).ToArray();
        var layers = new List<DenseLayer>();
        int width = obs;
        foreach (var size in hidden.Append(contract.ActionSize))
        {
            var bound = 1.5f / MathF.Sqrt(width);
            var weight = Enumerable.Range(0, width * size).Select(_ => (float)(rng.NextDouble() * 2 - 1) * bound).ToArray();
            var bias = Enumerable.Range(0, size).Select(_ => (float)(rng.NextDouble() * 0.2 - 0.1)).ToArray();
            layers.Add(new DenseLayer(width, size, weight, bias));
            width = size;
        }

        return new ExportablePolicy(contract, "ppo", "test-run", 12_345, mean, variance, 10f, 1e-8f, layers, activation, squash);
    }
}
