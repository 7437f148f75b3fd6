using Robotics.Contract;
using Robotics.Sim.Tasks;

namespace Robotics.Sim.Tests.Tasks;

public sealed class TaskCatalogTests : IDisposable
{
    private readonly TestTaskFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void Unknown_task_name_lists_the_known_tasks()
    {
        var e = Assert.Throws<ConfigException>(() => TaskCatalog.Load("cartpole-balanse"));

        Assert.Contains("unknown task 'cartpole-balanse'", e.Problem);
        Assert.Contains("cartpole-balance", e.Problem);
        Assert.EndsWith("cartpole-balanse.yaml", e.File);
    }

    [Fact]
    public void Unknown_robot_name_is_reported_at_the_robot_key()
    {
        string path = files.WriteTask("t", "robot: walker\nmax_episode_steps: 5\nobservations: [joint_positions]\n");

        var e = Assert.Throws<ConfigException>(() => TaskCatalog.Load(path));

        Assert.Equal(path, e.File);
        Assert.Equal("robot", e.Key);
        Assert.Contains("walker", e.Problem);
        Assert.Contains("cartpole", e.Problem);
    }

    [Fact]
    public void Missing_task_file_is_named()
    {
        var e = Assert.Throws<ConfigException>(() => TaskCatalog.Load(Path.Combine(files.Root, "tasks", "none.yaml")));

        Assert.Contains("not found", e.Problem);
    }

    [Fact]
    public void Built_in_robot_loads_by_name_with_its_contract()
    {
        var robot = TaskCatalog.LoadRobot("quadruped");

        Assert.Equal(12, robot.Contract.Actuators.Count);
        Assert.True(robot.Contract.HasImu);
        Assert.Contains("quadruped", TaskCatalog.KnownRobots());
    }

    [Fact]
    public void A_joint_missing_from_the_MJCF_names_the_robot_key_and_the_MJCF_joints()
    {
        files.WriteRobot("bad", TestTaskFiles.ProbeMjcf, TestTaskFiles.ProbeRobot.Replace("{ name: pitch,", "{ name: yaw,").Replace("joint: pitch", "joint: yaw"));

        var e = Assert.Throws<ConfigException>(() => TaskCatalog.LoadRobot(Path.Combine(files.Root, "robots", "bad.yaml")));

        Assert.Equal("joints[1].name", e.Key);
        Assert.Contains("no joint 'yaw'", e.Problem);
        Assert.Contains("x, z, pitch", e.Problem);
    }

    [Fact]
    public void An_actuator_missing_from_the_MJCF_is_named()
    {
        files.WriteRobot("bad", TestTaskFiles.ProbeMjcf, TestTaskFiles.ProbeRobot.Replace("name: turn", "name: twist"));

        var e = Assert.Throws<ConfigException>(() => TaskCatalog.LoadRobot(Path.Combine(files.Root, "robots", "bad.yaml")));

        Assert.Equal("actuators[1].name", e.Key);
        Assert.Contains("push, turn", e.Problem);
    }

    [Fact]
    public void An_actuator_on_another_joint_than_the_MJCF_says_is_rejected()
    {
        files.WriteRobot("bad", TestTaskFiles.ProbeMjcf, TestTaskFiles.ProbeRobot.Replace("{ name: turn, joint: pitch", "{ name: turn, joint: x"));

        var e = Assert.Throws<ConfigException>(() => TaskCatalog.LoadRobot(Path.Combine(files.Root, "robots", "bad.yaml")));

        Assert.Equal("actuators[1].joint", e.Key);
        Assert.Contains("drives joint 'pitch'", e.Problem);
    }

    [Fact]
    public void A_rate_that_disagrees_with_the_MJCF_timestep_is_rejected()
    {
        files.WriteRobot("bad", TestTaskFiles.ProbeMjcf, TestTaskFiles.ProbeRobot.Replace("physics_decimation: 2", "physics_decimation: 4"));

        var e = Assert.Throws<ConfigException>(() => TaskCatalog.LoadRobot(Path.Combine(files.Root, "robots", "bad.yaml")));

        Assert.Equal("physics_decimation", e.Key);
        Assert.Contains("0.005", e.Problem);
        Assert.Contains("0.01", e.Problem);
    }

    [Fact]
    public void An_invalid_MJCF_is_reported_at_the_mjcf_key_with_MuJoCo_s_message()
    {
        files.WriteRobot("bad", "<mujoco><worldbody><body></mujoco>", TestTaskFiles.ProbeRobot.Replace("probe.xml", "bad.xml"));

        var e = Assert.Throws<ConfigException>(() => TaskCatalog.LoadRobot(Path.Combine(files.Root, "robots", "bad.yaml")));

        Assert.Equal("mjcf", e.Key);
        Assert.Contains("bad.xml", e.Problem);
    }

    [Theory]
    [InlineData("actions: { max_change_per_second: 0 }\n", "actions.max_change_per_second", "greater than 0")]
    [InlineData("actions: { max_change: 10 }\n", "actions.max_change", "max_change_per_second")]
    public void A_bad_rate_limit_is_reported_at_its_key(string sections, string key, string hint)
    {
        var e = Assert.Throws<ConfigException>(() => files.Probe("observations: [joint_positions]\n" + sections));

        Assert.Equal(key, e.Key);
        Assert.Contains(hint, e.Problem);
    }

    [Theory]
    [InlineData("observations: [joint_angles]\n", "observations[0].term", "joint_positions")]
    [InlineData("observations: [joint_positions]\nrewards: [{ term: speed }]\n", "rewards[0].term", "forward_velocity")]
    [InlineData("observations: [joint_positions]\nterminations: [fallen]\n", "terminations[0].term", "tilt")]
    [InlineData("observations: [joint_positions]\nterminations: [{ term: time_limit }]\n", "terminations[0].term", "max_episode_steps")]
    public void An_unknown_term_lists_the_known_terms(string sections, string key, string known)
    {
        var e = Assert.Throws<ConfigException>(() => files.Probe(sections));

        Assert.Equal(key, e.Key);
        Assert.Contains(known, e.Problem);
    }

    [Theory]
    [InlineData("observations: [{ term: body_position, body: wheel }]\n", "observations[0].body", "block")]
    [InlineData("observations: [{ term: joint_positions, joints: [x, y] }]\n", "observations[0].joints", "no joint 'y'")]
    [InlineData("observations: [{ term: joint_positions, joint: [x] }]\n", "observations[0].joint", "joints")]
    [InlineData("observations: [projected_gravity]\n", "observations[0].term", "imu")]
    [InlineData("observations: [command]\n", "observations[0].command", "defines none")]
    [InlineData("observations: [joint_positions]\nrewards: [{ term: height, body: block }]\n", "rewards[0].target", "target height")]
    [InlineData("observations: [joint_positions]\ninitial_state: { joints: { wrist: { position: [0, 1] } } }\n", "initial_state.joints.wrist", "no joint 'wrist'")]
    public void Term_parameter_problems_name_the_key(string sections, string key, string problem)
    {
        var e = Assert.Throws<ConfigException>(() => files.Probe(sections));

        Assert.Equal(key, e.Key);
        Assert.Contains(problem, e.Problem);
    }

    [Theory]
    [InlineData("observations: [joint_angles_sincos]\n", "missing; expected a list of the robot's hinge joints")]
    [InlineData("observations: [{ term: joint_angles_sincos, joints: [wheel] }]\n", "reads joints of the robot file only; 'wheel' is not one (robot joints: x, pitch)")]
    [InlineData("observations: [{ term: joint_angles_sincos, joints: [z] }]\n", "reads joints of the robot file only; 'z' is not one")]
    [InlineData("observations: [{ term: joint_angles_sincos, joints: [pitch, x] }]\n", "joint 'x' is a slide joint; joint_angles_sincos observes the angles of hinge joints")]
    [InlineData("observations: [{ term: joint_angles_sincos, joints: [] }]\n", "expected at least one joint name")]
    public void Joint_angles_sincos_problems_are_one_line_naming_the_task_file_and_key(string sections, string problem)
    {
        var e = Assert.Throws<ConfigException>(() => files.Probe(sections));

        Assert.Equal("observations[0].joints", e.Key);
        Assert.Contains(problem, e.Problem);
        Assert.StartsWith(Path.Combine(files.Root, "tasks", "probe-"), e.File);
        Assert.StartsWith(e.File + ": 'observations[0].joints': ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Bad_randomization_is_reported_by_the_task_file()
    {
        var e = Assert.Throws<ConfigException>(() => files.Probe("observations: [joint_positions]\nrandomization: { body_mas: { scale: [0.9, 1.1] } }\n"));

        Assert.Contains("body_mas", e.Key + e.Problem);
        Assert.EndsWith(".yaml", e.File);
    }

    [Fact]
    public void A_randomized_body_the_model_lacks_is_reported_by_the_task_file_when_the_task_loads()
    {
        string path = files.WriteTask("heavy", "robot: probe\nmax_episode_steps: 5\nobservations: [joint_positions]\nrandomization: { body_mass: { scale: [0.9, 1.1], bodies: [wheel] } }\n");

        var e = Assert.Throws<ConfigException>(() => TaskCatalog.Load(path));

        Assert.Equal(path, e.File);
        Assert.Equal("randomization.body_mass.bodies", e.Key);
        Assert.Contains("'wheel'", e.Problem);
        Assert.Contains("block", e.Problem);
    }
}
