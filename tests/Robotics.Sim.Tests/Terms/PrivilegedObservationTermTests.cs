using Robotics.Contract;
using Robotics.Contract.Environments;
using Robotics.Sim.Environments;
using Robotics.Sim.Tasks;
using Robotics.Sim.Tests.Tasks;

namespace Robotics.Sim.Tests.Terms;

/// <summary>
/// Critic observations: what only the simulator knows (true velocity, pushes, the drawn physics), outside the
/// policy's contract, filled beside the observations by the vector environment.
/// </summary>
public sealed class PrivilegedObservationTermTests : IDisposable
{
    private const string CriticTerms = """
        critic_observations:
          - term: body_linear_velocity
            body: torso
          - term: body_external_force
            body: torso
          - actuator_gain_scale
          - term: geom_friction_scale
            geoms: [fl_foot, hr_foot]
          - term: body_mass_scale
            bodies: [torso]
          - action_latency
        """;

    private readonly TestTaskFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void Critic_observations_stay_out_of_the_policy_contract()
    {
        var plain = files.Load("quadruped-plain", QuadrupedTaskText());
        var asymmetric = QuadrupedWithCriticTerms();
        var shipped = TaskCatalog.Load("quadruped-walk");

        // The same contract but for the task's name (the file's).
        Assert.Equal(plain.PolicyContract.Hash, (asymmetric.PolicyContract with { Task = plain.PolicyContract.Task }).Hash);
        Assert.Equal(plain.PolicyContract.Hash, (shipped.PolicyContract with { Task = plain.PolicyContract.Task }).Hash);
        Assert.Empty(plain.CriticObservations);
        Assert.Equal(3 + 12 + 5 + 1 + 1 + 3, shipped.CriticObservationSize);
        Assert.Equal(["body_linear_velocity", "body_external_force", "actuator_gain_scale", "geom_friction_scale", "body_mass_scale", "action_latency"],
            asymmetric.CriticObservations.Select(o => o.Kind));
        Assert.Equal(3 + 3 + 12 + 2 + 1 + 1, asymmetric.CriticObservationSize);

        using var env = new SimVectorEnv(asymmetric, numEnvs: 2, new SimVectorEnvOptions { Threads = 1 });
        Assert.Equal(asymmetric.CriticObservationSize, env.Spec.CriticObservationSize);
        Assert.Equal(plain.PolicyContract.ObservationSize, env.Spec.ObservationSize);
    }

    [Fact]
    public void The_drawn_physics_read_as_ratios_to_the_model()
    {
        var task = QuadrupedWithCriticTerms();
        using var env = new SimVectorEnv(task, numEnvs: 3, new SimVectorEnvOptions { Threads = 1 });
        var step = VectorStep.For(env.Spec);
        env.Reset(11, step);

        var model = task.NominalModel;
        var actuators = task.RobotDefinition.Actuators;
        for (int e = 0; e < 3; e++)
        {
            var critic = step.CriticObservationOf(e);
            var drawn = env.SampleOf(e).Values;
            for (int a = 0; a < actuators.Count; a++)
            {
                int id = task.Binding.ActuatorIds[a];
                double expected = drawn[$"actuator_gain/{actuators[a].Name}"] / model.ActuatorGainprm[id * 10];
                Assert.Equal(expected, critic[6 + a], 5);
            }

            int foot = model.NameToId(Robotics.Sim.Mujoco.MjtObj.Geom, "fl_foot");
            Assert.Equal(drawn["geom_friction/fl_foot"] / model.GeomFriction[foot * 3], critic[18], 5);
            int torso = model.NameToId(Robotics.Sim.Mujoco.MjtObj.Body, "torso");
            Assert.Equal(drawn["body_mass/torso"] / model.BodyMass[torso], critic[20], 5);
            Assert.Equal(env.SampleOf(e).ActionLatencySteps, critic[21]);
        }

        // Randomized, not nominal: some servo differs from its model gain by more than rounding.
        Assert.Contains(Enumerable.Range(6, 12), i => Math.Abs(step.CriticObservationOf(0)[i] - 1) > 1e-3);
    }

    [Fact]
    public void Body_velocity_is_the_true_one_in_the_body_frame_and_a_push_is_seen()
    {
        // The probe block tilted by 0.3 rad about y and sliding at (0.8, 0, 0.3) m/s, with nothing to slow it or turn it.
        var task = files.Probe("""
            observations: [joint_positions]
            critic_observations: [{ term: body_linear_velocity, body: block }, { term: body_external_force, body: block }]
            initial_state: { joints: { pitch: { position: [0.3, 0.3] }, x: { velocity: [0.8, 0.8] }, z: { velocity: [0.3, 0.3] } } }
            """);
        using var env = new SimVectorEnv(task, numEnvs: 1, new SimVectorEnvOptions { Threads = 1, Randomize = false });
        var step = VectorStep.For(env.Spec);
        env.Reset(3, step);
        var actions = new float[env.Spec.ActionSize];
        for (int t = 0; t < 3; t++) env.Step(actions, step);

        // In the block's axes: its x axis points along (cos 0.3, 0, -sin 0.3) in the world, its z axis along (sin 0.3, 0, cos 0.3).
        double c = Math.Cos(0.3), s = Math.Sin(0.3);
        var critic = step.CriticObservationOf(0);
        Assert.Equal(0.8 * c - 0.3 * s, critic[0], 5);
        Assert.Equal(0, critic[1], 5);
        Assert.Equal(0.8 * s + 0.3 * c, critic[2], 5);
        Assert.Equal([0f, 0f, 0f], critic[3..6].ToArray());

        var sim = env.EnvironmentAt(0);
        int block = sim.Model.NameToId(Robotics.Sim.Mujoco.MjtObj.Body, "block");
        sim.Data.XfrcApplied[6 * block + 2] = 25;
        env.Step(actions, step);
        Assert.Equal([0f, 0f, 25f], step.CriticObservationOf(0)[3..6].ToArray());
    }

    [Fact]
    public void A_finished_episode_keeps_its_last_critic_observation()
    {
        var task = files.Load("quadruped-short", QuadrupedTaskText().Replace("max_episode_steps: 1000", "max_episode_steps: 3") + "\n" + CriticTerms);
        using var env = new SimVectorEnv(task, numEnvs: 2, new SimVectorEnvOptions { Threads = 1 });
        var step = VectorStep.For(env.Spec);
        env.Reset(5, step);
        var before = step.CriticObservationOf(0)[6..18].ToArray(); // the episode's servo gains
        var actions = new float[2 * env.Spec.ActionSize];
        for (int t = 0; t < 3; t++) env.Step(actions, step);

        Assert.True(step.Truncated[0]);
        Assert.Equal(before, step.FinalCriticObservationOf(0)[6..18].ToArray());
        Assert.NotEqual(before, step.CriticObservationOf(0)[6..18].ToArray()); // the next episode drew its own
    }

    [Fact]
    public void A_term_the_robot_supplies_is_refused_with_what_belongs_there()
    {
        var error = Assert.Throws<ConfigException>(() => files.Load("critic-joints", QuadrupedTaskText() + """

            critic_observations:
              - joint_velocities
            """));
        Assert.Contains("critic_observations", error.Message);
        Assert.Contains("already sees the policy's observations", error.Message);
        Assert.Contains("body_linear_velocity", error.Message);
    }

    [Fact]
    public void A_ratio_term_names_what_the_model_lacks()
    {
        var error = Assert.Throws<ConfigException>(() => files.Load("critic-bad-geom", QuadrupedTaskText() + """

            critic_observations:
              - term: geom_friction_scale
                geoms: [paw]
            """));
        Assert.Contains("no geom 'paw'", error.Message);
        Assert.Contains("fl_foot", error.Message);
    }

    private LoadedTask QuadrupedWithCriticTerms() => files.Load("quadruped-critic", QuadrupedTaskText() + "\n" + CriticTerms);

    /// <summary>The shipped walking task without its own critic observations, for the tests to add theirs.</summary>
    private static string QuadrupedTaskText() => WithoutCriticObservations(File.ReadAllText(TaskCatalog.Load("quadruped-walk").TaskDefinition.File))
        .Replace("robot: quadruped", "robot: " + Path.Combine(RepositoryConfigs(), "robots", "quadruped.yaml"));

    /// <summary>Drops the top-level critic_observations block: its key line and the indented lines under it.</summary>
    private static string WithoutCriticObservations(string yaml)
    {
        var kept = new List<string>();
        bool inBlock = false;
        foreach (string line in yaml.Split('\n'))
        {
            if (line.StartsWith("critic_observations:", StringComparison.Ordinal)) inBlock = true;
            else if (inBlock && line.Length > 0 && !char.IsWhiteSpace(line[0])) inBlock = false;
            if (!inBlock) kept.Add(line);
        }

        return string.Join('\n', kept);
    }

    private static string RepositoryConfigs() =>
        Path.GetDirectoryName(Path.GetDirectoryName(TaskCatalog.Load("quadruped-walk").TaskDefinition.File))!;
}
