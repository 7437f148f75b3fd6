using Robotics.Contract.Environments;
using Robotics.Sim.Tasks;
using Robotics.Training.Robustness;
using Robotics.Training.Runner;

namespace Robotics.Training.Tests.Robustness;

/// <summary>
/// A block pushed by a constant force of 1 N for 1 s travels 0.5 / m metres; the task ends it (a failure) past
/// 0.3 m. So only masses above 5/3 of the nominal 1 kg survive: the sweep must say exactly that.
/// </summary>
public sealed class RobustnessSweepTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "robotics-sweep-tests", Guid.NewGuid().ToString("N"));

    public RobustnessSweepTests()
    {
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, "block.xml"), """
            <mujoco model="block">
              <option timestep="0.01" gravity="0 0 0"><flag contact="disable"/></option>
              <worldbody>
                <body name="block"><joint name="x" type="slide" axis="1 0 0"/><geom type="box" size="0.1 0.1 0.1" mass="1"/></body>
              </worldbody>
              <actuator><motor name="push" joint="x" ctrllimited="true" ctrlrange="-1 1"/></actuator>
            </mujoco>
            """);
        File.WriteAllText(Path.Combine(root, "block.yaml"), """
            name: block
            mjcf: block.xml
            control_rate_hz: 50
            physics_decimation: 2
            joint_defaults: { velocity: 100, effort: 10 }
            joints: [{ name: x, position: [-5, 5] }]
            actuators: [{ name: push, joint: x, mode: effort, command: [-1, 1] }]
            """);
        File.WriteAllText(Path.Combine(root, "push.yaml"), """
            robot: block.yaml
            max_episode_steps: 50
            observations: [joint_positions]
            rewards: [alive]
            terminations: [{ term: joint_position, joint: x, max: 0.3 }]
            """);
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void Cells_survive_exactly_where_the_physics_says()
    {
        var task = TaskCatalog.Load(Path.Combine(root, "push.yaml"));
        var sweep = RobustnessSweep.Run(task, [SweepAxis.Parse("mass=1:2:3")], episodes: 3, seed: 7, threads: 1, FullPush);

        Assert.Equal([1.0, 1.5, 2.0], sweep.Cells.Select(c => c.Values[0]));
        Assert.Equal([0.0, 0.0, 1.0], sweep.Cells.Select(c => c.SuccessRate));
        Assert.Equal(50.0, sweep.Cells[2].Result.MeanLength);
        // 0.3 m at 0.5 t² / m: t = sqrt(0.6 m), so 1.0 kg ends at 0.775 s and 1.5 kg at 0.949 s (50 steps per second).
        Assert.InRange(sweep.Cells[0].Result.MeanLength, 38, 40);
        Assert.InRange(sweep.Cells[1].Result.MeanLength, 47, 49);
    }

    [Fact]
    public void Two_axes_make_a_grid_with_the_first_axis_slowest()
    {
        var task = TaskCatalog.Load(Path.Combine(root, "push.yaml"));
        var sweep = RobustnessSweep.Run(task, [SweepAxis.Parse("mass=1:2:2"), SweepAxis.Parse("gain=1:2:2")], episodes: 2, seed: 7, threads: 1, FullPush);

        Assert.Equal(new[] { "1,1", "1,2", "2,1", "2,2" }, sweep.Cells.Select(c => string.Join(",", c.Values)));
        // A motor's gain scales its force: twice the force on twice the mass travels as far as the nominal block.
        Assert.Equal([0.0, 0.0, 1.0, 0.0], sweep.Cells.Select(c => c.SuccessRate));
    }

    [Fact]
    public void A_sweep_over_more_than_two_keys_or_a_repeated_key_is_refused()
    {
        var task = TaskCatalog.Load(Path.Combine(root, "push.yaml"));

        Assert.Throws<ArgumentException>(() => RobustnessSweep.Run(task, [SweepAxis.Parse("mass=1:2:2"), SweepAxis.Parse("mass=1:3:2")], 1, 1, 1, FullPush));
        Assert.Throws<ArgumentException>(() => RobustnessSweep.Run(task,
            [SweepAxis.Parse("mass=1:2:2"), SweepAxis.Parse("gain=1:2:2"), SweepAxis.Parse("friction=1:2:2")], 1, 1, 1, FullPush));
    }

    private static EvaluationResult FullPush(IVectorEnv env, int seed)
    {
        var actions = Enumerable.Repeat(1f, env.Spec.NumEnvs * env.Spec.ActionSize).ToArray();
        return Evaluator.Run(env, seed, _ => actions);
    }
}
