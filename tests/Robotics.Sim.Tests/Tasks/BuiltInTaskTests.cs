using Robotics.Contract.Environments;
using Robotics.Sim.Environments;
using Robotics.Sim.Tasks;

namespace Robotics.Sim.Tests.Tasks;

public sealed class BuiltInTaskTests
{
    public static TheoryData<string> BuiltInTasks =>
        ["cartpole-balance", "cartpole-swingup", "reacher", "hopper", "quadruped-walk", "humanoid-bench"];

    [Fact]
    public void The_catalog_lists_every_built_in_task()
    {
        var known = TaskCatalog.KnownTasks();
        foreach (string task in BuiltInTasks)
            Assert.Contains(task, known);
    }

    [Theory]
    [MemberData(nameof(BuiltInTasks))]
    public void Built_in_task_runs_1000_random_steps_without_NaN(string name)
    {
        var task = TaskCatalog.Load(name);
        using var env = new SimVectorEnv(task, numEnvs: 2, new SimVectorEnvOptions { Threads = 2 });
        var step = VectorStep.For(env.Spec);
        env.Reset(seed: 7, step);
        var random = new Random(11);
        var actions = new float[env.Spec.NumEnvs * env.Spec.ActionSize];
        int episodes = 0;
        for (int t = 0; t < 1000; t++)
        {
            for (int k = 0; k < actions.Length; k++)
            {
                int a = k % env.Spec.ActionSize;
                actions[k] = env.Spec.ActionLow[a] + (float)random.NextDouble() * (env.Spec.ActionHigh[a] - env.Spec.ActionLow[a]);
            }
            env.Step(actions, step);
            Assert.All(step.Observations, v => Assert.True(float.IsFinite(v)));
            Assert.All(step.Rewards, v => Assert.True(float.IsFinite(v)));
            episodes += step.Episodes.Count;
        }
        Assert.Equal(0, env.TotalPhysicsResets);
        Assert.True(episodes > 0 || task.TaskDefinition.MaxEpisodeSteps > 1000);
    }

    [Fact]
    public void Cartpole_with_zero_force_and_a_small_tilt_falls_before_the_time_limit()
    {
        var task = TaskCatalog.Load("cartpole-balance");
        using var env = new SimEnvironment(task);
        env.Reset(seed: 3);
        float hinge = (float)env.State.JointPositions[1];
        Assert.InRange(Math.Abs(hinge), 1e-4, 0.05);

        StepOutcome outcome;
        do
        {
            outcome = env.Step([0f]);
        }
        while (!outcome.Done);

        Assert.True(outcome.Terminated);
        Assert.False(outcome.Truncated);
        Assert.True(env.EpisodeStep < task.TaskDefinition.MaxEpisodeSteps, $"fell after {env.EpisodeStep} steps");
        Assert.True(Math.Abs(env.State.JointPositions[1]) > 0.2, "the pole leans past 12 degrees");
    }

    [Fact]
    public void Reacher_target_stays_put_and_a_joint_space_PD_controller_ends_within_2_cm()
    {
        var task = TaskCatalog.Load("reacher");
        using var env = new SimEnvironment(task);
        const double upper = 0.1, fore = 0.11;
        for (int episode = 0; episode < 5; episode++)
        {
            env.Reset(seed: episode);
            double x = env.Command[0], y = env.Command[1];
            // Inverse kinematics of the two links, elbow on the positive side.
            double elbow = Math.Acos(Math.Clamp((x * x + y * y - upper * upper - fore * fore) / (2 * upper * fore), -1, 1));
            double shoulder = Math.Atan2(y, x) - Math.Atan2(fore * Math.Sin(elbow), upper + fore * Math.Cos(elbow));
            for (int t = 0; t < task.TaskDefinition.MaxEpisodeSteps; t++)
            {
                var q = env.State.JointPositions;
                var qd = env.State.JointVelocities;
                env.Step([
                    (float)(0.3 * Math.IEEERemainder(shoulder - q[0], 2 * Math.PI) - 0.02 * qd[0]),
                    (float)(0.3 * (elbow - q[1]) - 0.02 * qd[1]),
                ]);
            }

            Assert.True(env.EpisodeStats()["final/distance"] < 0.02, $"episode {episode}: {env.EpisodeStats()["final/distance"]} m");
            int target = env.Model.NameToId(Robotics.Sim.Mujoco.MjtObj.Site, "target");
            Assert.Equal(x, env.Data.SiteXpos[3 * target], 9);
            Assert.Equal(y, env.Data.SiteXpos[3 * target + 1], 9);
        }
    }

    [Fact]
    public void Cartpole_balance_held_by_a_PD_controller_earns_the_maximum_return_of_1000()
    {
        var task = TaskCatalog.Load("cartpole-balance");
        using var env = new SimEnvironment(task);
        env.Reset(seed: 2);
        StepOutcome outcome;
        do
        {
            var q = env.State.JointPositions;
            var qd = env.State.JointVelocities;
            // Push the cart under the pole (a positive angle leans it towards +x), and drift back to the centre.
            outcome = env.Step([(float)(60 * q[1] + 10 * qd[1] + 1 * q[0] + 2 * qd[0])]);
        }
        while (!outcome.Done);

        Assert.True(outcome.Truncated);
        Assert.False(outcome.Terminated);
        Assert.Equal(1000, env.EpisodeReturn);
    }

    [Fact]
    public void Quadruped_stands_in_its_zero_pose_for_a_whole_episode()
    {
        using var env = new SimEnvironment(TaskCatalog.Load("quadruped-walk"), randomize: false);
        env.Reset(seed: 0);
        var stand = new float[env.ActionSize];
        StepOutcome outcome;
        do
        {
            outcome = env.Step(stand);
        }
        while (!outcome.Done);

        Assert.True(outcome.Truncated);
        int torso = env.Model.NameToId(Robotics.Sim.Mujoco.MjtObj.Body, "torso");
        Assert.InRange(env.Data.Xpos[3 * torso + 2], 0.3, 0.35);
    }

    [Fact]
    public void The_policy_contract_carries_the_rate_limit_a_task_trains_under()
    {
        Assert.Equal(10, TaskCatalog.Load("quadruped-walk").PolicyContract.ActionMaxChangePerSecond);
        Assert.Null(TaskCatalog.Load("cartpole-balance").PolicyContract.ActionMaxChangePerSecond);
    }
}
