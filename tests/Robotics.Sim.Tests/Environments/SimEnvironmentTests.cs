using Robotics.Testing;
using Robotics.Contract;
using Robotics.Contract.Observations;
using Robotics.Sim.Environments;
using Robotics.Sim.Mujoco;
using Robotics.Sim.Tasks;
using Robotics.Sim.Terms;
using Robotics.Sim.Tests.Tasks;

namespace Robotics.Sim.Tests.Environments;

public sealed class SimEnvironmentTests : IDisposable
{
    private readonly TestTaskFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void Read_state_reports_joints_in_contract_order_with_effort_from_the_actuators()
    {
        var task = files.Probe("observations: [joint_positions]\ninitial_state: { joints: { x: { position: [0.3, 0.3], velocity: [0.5, 0.5] } } }\n");
        using var env = new SimEnvironment(task);
        env.Reset(seed: 0);
        var state = new RobotState(2);

        env.StepControlPeriod([1.5f, -0.25f]);
        env.ReadState(state);

        Assert.Equal(env.Data.Qpos[0], state.JointPositions[0]);
        Assert.Equal(env.Data.Qpos[2], state.JointPositions[1]);
        Assert.Equal(env.Data.Qvel[0], state.JointVelocities[0]);
        Assert.Equal([1.5, -0.25], state.JointEfforts);
        Assert.False(state.HasImu);
        Assert.True(state.JointPositions[0] > 0.3);
    }

    [Fact]
    public void Standing_quadruped_feels_gravity_straight_down_through_the_shared_builder()
    {
        using var env = new SimEnvironment(TaskCatalog.Load("quadruped-walk"), randomize: false);
        env.Reset(seed: 0);
        var stand = new float[env.ActionSize];
        for (int t = 0; t < 50; t++)
            env.Step(stand);

        // projected_gravity is the first term. Computed here from MuJoCo's own frame of the IMU site, not by the
        // shared builder (the test used to rebuild the observation with the same builder and compare it with itself):
        // gravity (0, 0, -1) in the site's frame is minus the third row of its rotation matrix.
        var gravity = env.Observation[..3].ToArray();
        Assert.InRange(gravity[2], -1f, -0.99f);
        Assert.True(env.State.HasImu);
        int imu = env.Model.NameToId(MjtObj.Site, "imu");
        var xmat = env.Data.SiteXmat.Slice(9 * imu, 9).ToArray();
        for (int i = 0; i < 3; i++) Assert.Equal((float)-xmat[6 + i], gravity[i], 1e-5f);
    }

    [Fact]
    public void The_accelerometer_term_reads_the_force_that_pushes_the_body_over_its_mass()
    {
        // The probe block (1 kg, no gravity, no contacts) with an accelerometer at its origin: 1.5 N along x reads
        // 1.5 m/s² along x, and at rest it reads nothing. A shove shows here at once, before the body has moved.
        string mjcf = TestTaskFiles.ProbeMjcf
            .Replace("<site name=\"a\" pos=\"0.1 0 0\"/>", "<site name=\"a\" pos=\"0.1 0 0\"/>\n<site name=\"imu\"/>")
            .Replace("</actuator>", "</actuator>\n<sensor><accelerometer name=\"imu_acc\" site=\"imu\"/></sensor>");
        string robot = TestTaskFiles.ProbeRobot.Replace("name: probe", "name: imuprobe").Replace("mjcf: probe.xml", "mjcf: imuprobe.xml")
            + "\nimu: { site: imu, accelerometer: imu_acc }\n";
        files.WriteRobot("imuprobe", mjcf, robot);
        using var env = new SimEnvironment(files.Load("accelerometer", "robot: imuprobe\nmax_episode_steps: 100\nobservations: [imu_linear_acceleration]\n"));
        env.Reset(seed: 0);

        env.Step([0f, 0f]);
        for (int k = 0; k < 3; k++) Assert.Equal(0f, env.Observation[k], 1e-6f);

        env.Step([1.5f, 0f]);
        Assert.Equal(1.5f, env.Observation[0], 1e-4f);
        Assert.Equal(0f, env.Observation[1], 1e-4f);
        Assert.Equal(0f, env.Observation[2], 1e-4f);
        Assert.Equal(1.5, env.State.ImuLinearAcceleration[0], 1e-4);
    }

    [Fact]
    public void Observation_noise_per_term_perturbs_that_term_alone()
    {
        const string sections = "observations: [joint_positions, joint_velocities]\n";
        using var plain = new SimEnvironment(files.Probe(sections));
        using var noisy = new SimEnvironment(files.Probe(sections + "randomization:\n  observation_noise_std_by_term: {joint_velocities: 0.5}\n"));
        plain.Reset(seed: 3);
        noisy.Reset(seed: 3);
        for (int t = 0; t < 5; t++)
        {
            plain.Step([0.5f, 0f]);
            noisy.Step([0.5f, 0f]);
        }

        // joint_positions (x, pitch) as without noise; joint_velocities off by draws of std 0.5.
        Assert.Equal(plain.Observation[..2].ToArray(), noisy.Observation[..2].ToArray());
        Assert.True(Math.Abs(plain.Observation[2] - noisy.Observation[2]) > 1e-3 || Math.Abs(plain.Observation[3] - noisy.Observation[3]) > 1e-3);
    }

    [Fact]
    public void Observation_noise_for_a_term_the_task_does_not_observe_is_refused_naming_the_observations()
    {
        var task = files.Probe("observations: [joint_positions]\nrandomization:\n  observation_noise_std_by_term: {imu_linear_acceleration: 0.3}\n");

        var e = Assert.Throws<ConfigException>(() => new SimEnvironment(task));

        Assert.Contains("observation_noise_std_by_term.imu_linear_acceleration", e.Message);
        Assert.Contains("does not observe 'imu_linear_acceleration'", e.Message);
        Assert.Contains("joint_positions", e.Message);
    }

    [Fact]
    public void Cartpole_observation_is_its_joint_positions_then_velocities_as_mujoco_holds_them()
    {
        // Mutations guarded: joints out of contract order, velocities before positions, a stale (pre-step) state.
        using var env = new SimEnvironment(TaskCatalog.Load("cartpole-balance"), randomize: false);
        env.Reset(seed: 3);
        for (int t = 0; t < 20; t++) env.Step([0.7f]);

        var qpos = env.Data.Qpos;
        var qvel = env.Data.Qvel;
        Assert.Equal([(float)qpos[0], (float)qpos[1], (float)qvel[0], (float)qvel[1]], env.Observation.ToArray());
        Assert.True(Math.Abs(qvel[0]) > 1e-3, "the push moved the cart");
    }

    [Fact]
    public void Swingup_observes_the_pole_through_sine_and_cosine_of_its_hinge_as_the_tip_lies_from_the_pivot()
    {
        using var env = new SimEnvironment(TaskCatalog.Load("cartpole-swingup"), randomize: false);
        env.Reset(seed: 5);
        for (int t = 0; t < 30; t++) env.Step([t < 15 ? 10f : -10f]);

        // slider position, slider and hinge velocities, then (sin θ, cos θ) of the hinge.
        double theta = env.Data.Qpos[1];
        Assert.Equal(5, env.ObservationSize);
        Assert.Equal([(float)Math.Sin(theta), (float)Math.Cos(theta)], env.Observation[3..].ToArray());
        // The meaning the task had with the site term: the pole (1 m) leans towards +x for θ > 0. After a step MuJoCo's
        // site positions are those of the state before its last integration; forward kinematics brings them to θ.
        env.Data.Forward();
        int tip = env.Model.NameToId(MjtObj.Site, "tip");
        int pivot = env.Model.NameToId(MjtObj.Site, "pivot");
        var sites = env.Data.SiteXpos;
        Assert.Equal(sites[3 * tip] - sites[3 * pivot], env.Observation[3], 1e-6f);
        Assert.Equal(sites[3 * tip + 2] - sites[3 * pivot + 2], env.Observation[4], 1e-6f);
        Assert.True(Math.Abs(theta - Math.PI) > 0.1, "the pushes swung the pole");
    }

    [Fact]
    public void Swingup_policy_can_run_on_a_robot_and_sees_there_what_it_saw_in_simulation()
    {
        var task = TaskCatalog.Load("cartpole-swingup");
        using var env = new SimEnvironment(task, randomize: false);
        var robot = ObservationBuilder.ForRobot(task.PolicyContract);
        var state = new RobotState(task.RobotContract.Joints.Count);
        var onRobot = new float[robot.Size];
        env.Reset(seed: 2);
        double largestAngle = 0;
        for (int t = 0; t < 300; t++)
        {
            // Pushes in time with the pole pump it until it turns over the top and its angle leaves [-π, π].
            float push = env.Data.Qvel[1] > 0 ? 10f : -10f;
            env.Step([push]);
            env.ReadState(state);

            robot.Build(state, [push], [], onRobot);

            Assert.Equal(env.Observation.ToArray(), onRobot);
            largestAngle = Math.Max(largestAngle, Math.Abs(state.JointPositions[1]));
        }

        Assert.True(largestAngle > 1.5 * Math.PI, $"the pole turned over (largest |θ| {largestAngle:F2} rad)");
    }

    [Fact]
    public void Hopper_policy_cannot_run_on_a_robot_because_it_observes_simulation_only_joints()
    {
        var contract = TaskCatalog.Load("hopper").PolicyContract;

        var e = Assert.Throws<NotSupportedException>(() => ObservationBuilder.ForRobot(contract));
        Assert.Contains("rootz", e.Message);
    }

    [Fact]
    public void Command_joints_place_the_target_marker_at_the_sampled_command()
    {
        using var env = new SimEnvironment(TaskCatalog.Load("reacher"));
        env.Reset(seed: 4);
        int target = env.Model.NameToId(Robotics.Sim.Mujoco.MjtObj.Site, "target");

        Assert.Equal(env.Command[0], env.Data.SiteXpos[3 * target], 12);
        Assert.Equal(env.Command[1], env.Data.SiteXpos[3 * target + 1], 12);
    }

    [Fact]
    public void Resets_with_one_seed_repeat_the_same_commands_and_start()
    {
        using var a = new SimEnvironment(TaskCatalog.Load("reacher"));
        using var b = new SimEnvironment(TaskCatalog.Load("reacher"));

        a.Reset(seed: 9);
        b.Reset(seed: 9);

        Assert.Equal(a.Command.ToArray(), b.Command.ToArray());
        Assert.Equal(a.Observation.ToArray(), b.Observation.ToArray());
    }

    [Fact]
    public void Step_does_not_allocate()
    {
        using var env = new SimEnvironment(TaskCatalog.Load("quadruped-walk"));
        env.Reset(seed: 0);
        var action = new float[env.ActionSize];
        env.Step(action);

        Allocations.AssertOneCleanWindow(() => env.Step(action), calls: 100, "an environment step");
    }

    [Fact]
    public void Step_with_observation_noise_per_term_does_not_allocate()
    {
        using var env = new SimEnvironment(files.Probe("observations: [joint_positions, joint_velocities]\nrandomization:\n  observation_noise_std_by_term: {joint_velocities: 0.5}\n", maxSteps: 1000));
        env.Reset(seed: 0);
        var action = new float[env.ActionSize];
        env.Step(action);

        Allocations.AssertOneCleanWindow(() => env.Step(action), calls: 100, "an environment step with noise per term");
    }

    [Theory]
    [InlineData(0.3, 0.2, -0.4)]
    [InlineData(2.5, -1.0, 0.7)]
    [InlineData(3.1, 0.0, 0.0)]
    public void Rotation_matrix_converts_back_to_its_quaternion(double angle, double ay, double az)
    {
        double n = Math.Sqrt(1 + ay * ay + az * az);
        double s = Math.Sin(angle / 2);
        double[] q = [Math.Cos(angle / 2), s / n, s * ay / n, s * az / n];
        double[] m =
        [
            1 - 2 * (q[2] * q[2] + q[3] * q[3]), 2 * (q[1] * q[2] - q[0] * q[3]), 2 * (q[1] * q[3] + q[0] * q[2]),
            2 * (q[1] * q[2] + q[0] * q[3]), 1 - 2 * (q[1] * q[1] + q[3] * q[3]), 2 * (q[2] * q[3] - q[0] * q[1]),
            2 * (q[1] * q[3] - q[0] * q[2]), 2 * (q[2] * q[3] + q[0] * q[1]), 1 - 2 * (q[1] * q[1] + q[2] * q[2]),
        ];
        var back = new double[4];

        SimulatedImu.MatrixToQuaternion(m, back);

        for (int k = 0; k < 4; k++)
            Assert.Equal(q[k], back[k], 12);
    }

    [Fact]
    public void A_task_rate_limit_moves_each_command_at_most_its_step_from_the_last_as_the_runtime_would()
    {
        // 5 ranges per second at 50 Hz: push (range 4) moves 0.4 per step, turn (range 2) 0.2; effort starts from 0.
        var task = files.Probe("observations: [previous_action]\nactions: { max_change_per_second: 5 }\n");
        using var env = new SimEnvironment(task);
        env.Reset(seed: 0);

        env.Step([2f, -1f]);
        Assert.Equal([0.4f, -0.2f], env.Observation.ToArray());
        Assert.Equal([0.4, -0.2], Ctrl(env), new ToleranceComparer(1e-6));
        env.Step([2f, -1f]);
        Assert.Equal([0.8f, -0.4f], env.Observation.ToArray());
        env.Step([0.5f, 0f]);
        Assert.Equal([0.5f, -0.2f], env.Observation.ToArray());

        // A new episode starts again from the command that holds the robot; the emulator's path is not limited.
        env.Reset(seed: 1);
        env.Step([-2f, 1f]);
        Assert.Equal([-0.4f, 0.2f], env.Observation.ToArray());
        env.StepControlPeriod([2f, -1f]);
        Assert.Equal([2.0, -1.0], Ctrl(env));
    }

    [Fact]
    public void Rate_limited_position_servos_start_from_where_the_joints_are()
    {
        var task = TaskCatalog.Load("quadruped-walk");
        Assert.Equal(10, task.TaskDefinition.Actions.MaxChangePerSecond);
        using var env = new SimEnvironment(task, randomize: false);
        env.Reset(seed: 3);
        var start = env.State.JointPositions.ToArray();
        var actuators = task.PolicyContract.Robot.Actuators;

        env.Step(actuators.Select(a => (float)a.CommandMax).ToArray());

        var ctrl = Ctrl(env);
        for (int i = 0; i < actuators.Count; i++)
        {
            float step = CommandRateLimit.MaxStep(actuators[i], 10, 1 / env.ControlDt);
            Assert.Equal((float)start[i] + step, (float)ctrl[i], 1e-6f);
        }
    }

    private static double[] Ctrl(SimEnvironment env) => env.Task.Binding.ActuatorIds.Select(id => env.Data.Ctrl[id]).ToArray();

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(double obj) => 0;
    }

    [Fact]
    public void A_NaN_observation_ends_the_episode_and_keeps_the_last_valid_observation()
    {
        var terms = TermRegistry.CreateDefault();
        terms.AddObservation("step_count_until_nan", _ => new PoisonTerm());
        var task = TaskCatalog.Load(files.WriteTask("poison", "robot: probe\nmax_episode_steps: 10\nobservations: [step_count_until_nan]\nrewards: [alive]\n"), terms);
        using var env = new SimEnvironment(task);
        env.Reset(seed: 0);

        Assert.False(env.Step([0f, 0f]).Done);
        var outcome = env.Step([0f, 0f]);

        Assert.True(outcome.PhysicsReset);
        Assert.True(outcome.Truncated);
        Assert.Equal(0f, outcome.Reward);
        Assert.Equal([1f], env.Observation.ToArray());
        Assert.Equal(1, env.PhysicsResets);
        Assert.Throws<InvalidOperationException>(() => env.Step([0f, 0f]));
    }

    /// <summary>Observes the episode step, and NaN from step 2 on.</summary>
    private sealed class PoisonTerm : IObservationTerm
    {
        public ObservationTermSpec Spec { get; } = new("step_count_until_nan", ["step"], 1);

        public void Write(TermContext context, Span<float> into) => into[0] = context.EpisodeStep >= 2 ? float.NaN : context.EpisodeStep;
    }
}
