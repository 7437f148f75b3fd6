using Robotics.Contract.Environments;
using Robotics.Testing;
using Robotics.Sim.Environments;
using Robotics.Sim.Randomization;
using Robotics.Sim.Tasks;
using Robotics.Sim.Tests.Tasks;

namespace Robotics.Sim.Tests.Environments;

public sealed class SimVectorEnvTests : IDisposable
{
    private readonly TestTaskFiles files = new();

    public void Dispose() => files.Dispose();

    private static VectorStep StepBuffers(SimVectorEnv env) => VectorStep.For(env.Spec);

    [Fact]
    public void Spec_describes_the_contract_shapes_and_action_ranges()
    {
        using var env = new SimVectorEnv(TaskCatalog.Load("reacher"), numEnvs: 3, new SimVectorEnvOptions { Threads = 2 });

        Assert.Equal(3, env.Spec.NumEnvs);
        // elbow angle 1, elbow position 3, fingertip position 3, joint velocities 2, target 2, fingertip - target 3
        Assert.Equal(14, env.Spec.ObservationSize);
        Assert.Equal(2, env.Spec.ActionSize);
        Assert.Equal([-0.05f, -0.05f], env.Spec.ActionLow);
        Assert.Equal([0.05f, 0.05f], env.Spec.ActionHigh);
        Assert.Equal(0.02, env.Spec.ControlDt, 12);
        Assert.Equal(100, env.Spec.MaxEpisodeSteps);
        Assert.Equal("reacher", env.Spec.Contract.Task);
    }

    [Fact]
    public void A_finished_episode_is_reset_in_the_same_step_and_its_last_observation_kept()
    {
        var task = files.Probe("""
            observations: [{ term: joint_positions, joints: [x] }]
            rewards: [alive]
            initial_state: { joints: { x: { velocity: [1, 1] } } }
            """, maxSteps: 3);
        using var env = new SimVectorEnv(task, numEnvs: 2, new SimVectorEnvOptions { Threads = 2 });
        var step = StepBuffers(env);
        env.Reset(seed: 0, step);
        var zero = new float[4];

        env.Step(zero, step);
        env.Step(zero, step);
        Assert.Empty(step.Episodes);
        Assert.Equal(0.04f, step.Observations[0], 6);
        env.Step(zero, step);

        Assert.Equal([false, false], step.Terminated);
        Assert.Equal([true, true], step.Truncated);
        Assert.Equal([1f, 1f], step.Rewards);
        Assert.Equal(0.06f, step.FinalObservationOf(0)[0], 6);
        Assert.Equal(0.06f, step.FinalObservationOf(1)[0], 6);
        Assert.Equal([0f, 0f], step.Observations);
        Assert.Equal([0, 1], step.Episodes.Select(e => e.Env));
        Assert.All(step.Episodes, e =>
        {
            Assert.Equal(3, e.Length);
            Assert.Equal(3.0, e.Return);
            Assert.True(e.Truncated);
            Assert.False(e.Terminated);
            Assert.Equal(3.0, e.Stats!["reward/alive"]);
        });

        env.Step(zero, step);
        Assert.Empty(step.Episodes);
        Assert.Equal([false, false], step.Truncated);
        Assert.Equal(0.02f, step.Observations[0], 6);
    }

    [Fact]
    public void Same_seed_and_actions_give_bitwise_identical_observations_whatever_the_thread_count()
    {
        var task = TaskCatalog.Load("quadruped-walk");
        var first = Rollout(task, seed: 42, threads: 1);
        var second = Rollout(task, seed: 42, threads: 2);
        var other = Rollout(task, seed: 43, threads: 2);

        Assert.Equal(first.Observations, second.Observations);
        Assert.Equal(first.Rewards, second.Rewards);
        Assert.NotEqual(first.Observations, other.Observations);
    }

    private static (float[] Observations, float[] Rewards) Rollout(LoadedTask task, int seed, int threads)
    {
        using var env = new SimVectorEnv(task, numEnvs: 3, new SimVectorEnvOptions { Threads = threads });
        var step = StepBuffers(env);
        var observations = new List<float>();
        var rewards = new List<float>();
        env.Reset(seed, step);
        observations.AddRange(step.Observations);
        var random = new Random(5);
        var actions = new float[env.Spec.NumEnvs * env.Spec.ActionSize];
        for (int t = 0; t < 60; t++)
        {
            for (int k = 0; k < actions.Length; k++)
                actions[k] = (float)(random.NextDouble() - 0.5);
            env.Step(actions, step);
            observations.AddRange(step.Observations);
            rewards.AddRange(step.Rewards);
        }
        return ([.. observations], [.. rewards]);
    }

    [Fact]
    public void A_NaN_action_is_rejected_naming_the_environment_and_index_and_the_vector_keeps_working()
    {
        using var env = new SimVectorEnv(TaskCatalog.Load("reacher"), numEnvs: 3, new SimVectorEnvOptions { Threads = 2 });
        var step = StepBuffers(env);
        env.Reset(seed: 0, step);
        var actions = new float[6];
        actions[5] = float.NaN;

        var e = Assert.Throws<ActionBatchException>(() => env.Step(actions, step));
        Assert.Equal("action 1 of env 2 is NaN; every action must be finite", e.Message);

        actions[5] = 0;
        env.Step(actions, step);
        Assert.All(step.Observations, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Wrong_action_count_is_rejected()
    {
        using var env = new SimVectorEnv(TaskCatalog.Load("reacher"), numEnvs: 2, new SimVectorEnvOptions { Threads = 1 });
        var step = StepBuffers(env);
        env.Reset(seed: 0, step);

        var e = Assert.Throws<ActionBatchException>(() => env.Step(new float[3], step));
        Assert.Equal("actions hold 12 bytes; expected 2 envs × 2 actions = 4 float32 (16 bytes)", e.Message);
    }

    [Fact]
    public void Actions_are_clamped_to_the_actuator_range()
    {
        var task = files.Probe("observations: [previous_action]\n");
        using var env = new SimVectorEnv(task, numEnvs: 1, new SimVectorEnvOptions { Threads = 1 });
        var step = StepBuffers(env);
        env.Reset(seed: 0, step);

        env.Step([100f, -7f], step);

        Assert.Equal([2f, -1f], step.Observations);
        Assert.Equal([2.0, -1.0], env.EnvironmentAt(0).Data.Ctrl.ToArray());
    }

    [Fact]
    public void Physics_blow_up_resets_the_environment_counts_it_and_never_emits_NaN()
    {
        // A 1 µg block pushed with 1e9 N: its speed passes MuJoCo's limit within a physics step.
        files.WriteRobot("blowup", TestTaskFiles.ProbeMjcf.Replace("mass=\"1\"", "mass=\"1e-9\"").Replace("ctrlrange=\"-2 2\"", "ctrlrange=\"-1e9 1e9\""),
            TestTaskFiles.ProbeRobot.Replace("name: probe", "name: blowup").Replace("probe.xml", "blowup.xml").Replace("command: [-2, 2]", "command: [-1e9, 1e9]"));
        var task = files.Load("blowup-task", "robot: blowup\nmax_episode_steps: 50\nobservations: [joint_positions, joint_velocities]\nrewards: [alive]\n");
        using var env = new SimVectorEnv(task, numEnvs: 2, new SimVectorEnvOptions { Threads = 2 });
        var step = StepBuffers(env);
        env.Reset(seed: 0, step);

        env.Step([1e9f, 0f, 0f, 0f], step);

        Assert.Equal(1, step.PhysicsResets);
        Assert.Equal(1, env.TotalPhysicsResets);
        Assert.True(step.Truncated[0]);
        Assert.False(step.Terminated[0]);
        Assert.Equal(0f, step.Rewards[0]);
        Assert.Single(step.Episodes);
        Assert.All(step.Observations, v => Assert.True(float.IsFinite(v)));
        Assert.All(step.FinalObservations, v => Assert.True(float.IsFinite(v)));

        env.Step(new float[4], step);
        Assert.Equal(0, step.PhysicsResets);
        Assert.Equal(1, env.TotalPhysicsResets);
    }

    [Fact]
    public void New_randomization_ranges_apply_from_the_next_reset()
    {
        var task = files.Probe("observations: [joint_positions]\nrewards: [alive]\n", maxSteps: 2);
        using var env = new SimVectorEnv(task, numEnvs: 2, new SimVectorEnvOptions { Threads = 1 });
        var step = StepBuffers(env);
        env.Reset(seed: 0, step);
        Assert.False(env.SampleOf(0).Values.ContainsKey("body_mass/block"));

        env.Randomization = new RandomizationConfig { BodyMass = new ScaleRandomization(RandomRange.Fixed(2), ["block"]) };
        env.Step(new float[4], step);
        Assert.False(env.SampleOf(1).Values.ContainsKey("body_mass/block"));
        env.Step(new float[4], step);

        Assert.Equal(2.0, env.SampleOf(0).Values["body_mass/block"], 12);
        Assert.Equal(2.0, env.SampleOf(1).Values["body_mass/block"], 12);
        Assert.Equal(2.0, env.EnvironmentAt(1).Model.BodyMass[1], 12);
    }

    [Fact]
    public void Buffers_without_room_for_the_critic_observations_are_refused_naming_both_shapes()
    {
        using var env = new SimVectorEnv(TaskCatalog.Load("quadruped-walk"), numEnvs: 2, new SimVectorEnvOptions { Threads = 1 });

        var error = Assert.Throws<ArgumentException>(() => env.Reset(0, new VectorStep(2, env.Spec.ObservationSize)));

        Assert.Contains($"the step buffers are for 2 environments × {env.Spec.ObservationSize} observations (+ 0 for the critic)", error.Message);
        Assert.Contains($"the vector has 2 × {env.Spec.ObservationSize} (+ {env.Spec.CriticObservationSize})", error.Message);
    }

    [Fact]
    public void Randomization_off_ignores_the_task_ranges()
    {
        var task = TaskCatalog.Load("quadruped-walk");
        using var env = new SimVectorEnv(task, numEnvs: 1, new SimVectorEnvOptions { Threads = 1, Randomize = false });
        var step = StepBuffers(env);
        env.Reset(seed: 0, step);

        Assert.True(env.Randomization.IsOff);
        Assert.False(task.Randomization.IsOff);
        Assert.DoesNotContain(env.SampleOf(0).Values.Keys, k => k.StartsWith("body_mass/", StringComparison.Ordinal));
    }

    [Fact]
    public void Reacher_reports_the_final_distance_to_its_target()
    {
        using var env = new SimVectorEnv(TaskCatalog.Load("reacher"), numEnvs: 1, new SimVectorEnvOptions { Threads = 1 });
        var step = StepBuffers(env);
        env.Reset(seed: 0, step);
        var inner = env.EnvironmentAt(0);
        var target = inner.Command.ToArray();
        for (int t = 0; t < 100; t++)
        {
            env.Step([0f, 0f], step);
            if (t < 99)
            {
                Assert.Empty(step.Episodes);
            }
        }

        var episode = Assert.Single(step.Episodes);
        double distance = episode.Stats!["final/distance"];
        // The final observation ends with the fingertip relative to the target (x, y, z).
        var final = step.FinalObservationOf(0);
        double observed = Math.Sqrt(final[^3] * final[^3] + final[^2] * final[^2] + final[^1] * final[^1]);
        Assert.Equal(observed, distance, 5);
        Assert.InRange(Math.Sqrt(target[0] * target[0] + target[1] * target[1]), 0.05, 0.2);
    }

    [Fact]
    public void Step_before_reset_is_an_error()
    {
        using var env = new SimVectorEnv(TaskCatalog.Load("reacher"), numEnvs: 1, new SimVectorEnvOptions { Threads = 1 });

        Assert.Throws<InvalidOperationException>(() => env.Step(new float[2], StepBuffers(env)));
    }

    [Fact]
    public void Steps_without_finished_episodes_do_not_allocate()
    {
        using var env = new SimVectorEnv(TaskCatalog.Load("quadruped-walk"), numEnvs: 4, new SimVectorEnvOptions { Threads = 1 });
        var step = StepBuffers(env);
        env.Reset(seed: 0, step);
        var actions = new float[env.Spec.NumEnvs * env.Spec.ActionSize];
        env.Step(actions, step);

        Allocations.AssertOneCleanWindow(() => env.Step(actions, step), calls: 50, "a vector step");
    }
}
