using Robotics.Contract;
using Robotics.Training.Policies;

namespace Robotics.Cli.Commands;

/// <summary>Policies with seeded random weights for the runtime benchmarks: latency does not depend on what was learned.</summary>
internal static class BenchPolicies
{
    public const int Observations = 48;
    public const int Actuators = 12;

    /// <summary>A robot of <see cref="Actuators"/> effort-controlled joints observing <see cref="Observations"/> values.</summary>
    public static PolicyContract Contract(double rateHz)
    {
        var joints = Enumerable.Range(0, Actuators).Select(i => new JointSpec($"joint{i}", -2, 2, 20, 30)).ToList();
        var motors = Enumerable.Range(0, Actuators).Select(i => new ActuatorSpec($"motor{i}", $"joint{i}", "effort", -30, 30)).ToList();
        var names = joints.Select(j => j.Name).ToList();
        return new PolicyContract(
            new RobotContract("bench", joints, motors, rateHz, 1, false),
            "bench",
            [
                new ObservationTermSpec("joint_positions", names, Actuators),
                new ObservationTermSpec("joint_velocities", names, Actuators),
                new ObservationTermSpec("joint_efforts", names, Actuators),
                new ObservationTermSpec("previous_action", motors.Select(m => m.Name).ToList(), Actuators),
            ],
            Enumerable.Repeat(0.0, Actuators).ToList(),
            Enumerable.Repeat(20.0, Actuators).ToList());
    }

    public static ExportablePolicy Random(PolicyContract contract, int hidden, int seed = 1)
    {
        var rng = new Random(seed);
        var layers = new List<DenseLayer>();
        int width = contract.ObservationSize;
        foreach (var size in new[] { hidden, hidden, contract.ActionSize })
        {
            var bound = 1f / MathF.Sqrt(width);
            layers.Add(new DenseLayer(
                width,
                size,
                Enumerable.Range(0, width * size).Select(_ => (rng.NextSingle() * 2 - 1) * bound).ToArray(),
                Enumerable.Range(0, size).Select(_ => (rng.NextSingle() * 2 - 1) * 0.1f).ToArray()));
            width = size;
        }

        int n = contract.ObservationSize;
        return new ExportablePolicy(contract, "ppo", $"bench-{hidden}x{hidden}", 0,
            new float[n], Enumerable.Repeat(1f, n).ToArray(), 10f, 1e-8f, layers, "elu", "clip");
    }
}
