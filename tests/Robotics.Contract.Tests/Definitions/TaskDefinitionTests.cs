using Robotics.Contract.Definitions;

namespace Robotics.Contract.Tests.Definitions;

public sealed class TaskDefinitionTests
{
    private const string File = "/tasks/reach.yaml";

    private const string Reach = """
        robot: arm
        max_episode_steps: 200
        commands:
          - name: goal
            components: [x, y]
            ranges: [[-0.1, 0.1], [0.2, 0.3]]
          - name: ring
            polar: { radius: [0.1, 0.2] }
        observations:
          - joint_positions
          - term: command
            command: goal
        rewards:
          - term: alive
          - term: site_distance
            sites: [tip, goal]
            weight: -2
          - term: alive
        terminations:
          - term: tilt
            body: base
            max_angle: 1
        initial_state:
          position_noise: 0.01
          joints:
            shoulder: { position: [0.1, 0.2] }
        """;

    [Fact]
    public void Reads_terms_in_order_with_weights_and_unique_names()
    {
        var task = TaskDefinition.Parse(Reach, File);

        Assert.Equal("reach", task.Name);
        Assert.Equal("arm", task.Robot);
        Assert.Equal(200, task.MaxEpisodeSteps);
        Assert.Equal(["joint_positions", "command"], task.Observations.Select(o => o.Term));
        Assert.Equal(["alive", "site_distance", "alive_2"], task.Rewards.Select(r => r.Name));
        Assert.Equal([1.0, -2.0, 1.0], task.Rewards.Select(r => r.Weight));
        Assert.Equal("goal", task.Observations[1].Parameters.RequiredString("command"));
        Assert.Equal("tilt", task.Terminations[0].Term);
        Assert.Equal(0.01, task.InitialState.PositionNoise);
        Assert.Equal((0.1, 0.2), task.InitialState.Joints[0].Position);
    }

    [Fact]
    public void Commands_sample_within_their_ranges_and_lay_out_one_vector()
    {
        var task = TaskDefinition.Parse(Reach, File);
        var random = new Random(5);
        Span<double> goal = stackalloc double[2];
        Span<double> ring = stackalloc double[2];

        Assert.Equal(4, task.CommandSize);
        Assert.Equal(2, task.CommandOffset(1));
        for (int i = 0; i < 100; i++)
        {
            task.Commands[0].Sample(random, goal);
            task.Commands[1].Sample(random, ring);
            Assert.InRange(goal[0], -0.1, 0.1);
            Assert.InRange(goal[1], 0.2, 0.3);
            Assert.InRange(Math.Sqrt(ring[0] * ring[0] + ring[1] * ring[1]), 0.1 - 1e-12, 0.2 + 1e-12);
        }
        Assert.Equal(["0", "1"], task.Commands[1].Components);
    }

    [Fact]
    public void A_weight_on_an_observation_is_rejected()
    {
        var e = Assert.Throws<ConfigException>(() => TaskDefinition.Parse(Reach.Replace("    command: goal", "    command: goal\n    weight: 2"), File));

        Assert.Equal("observations[1].weight", e.Key);
        Assert.Contains("only rewards", e.Problem);
    }

    [Fact]
    public void Unknown_top_level_key_lists_the_known_ones()
    {
        var e = Assert.Throws<ConfigException>(() => TaskDefinition.Parse(Reach + "\nepisode_length: 5\n", File));

        Assert.Equal("episode_length", e.Key);
        Assert.Contains("max_episode_steps", e.Problem);
    }

    [Fact]
    public void Missing_robot_is_named()
    {
        var e = Assert.Throws<ConfigException>(() => TaskDefinition.Parse(Reach.Replace("robot: arm\n", ""), File));

        Assert.Equal(File, e.File);
        Assert.Equal("robot", e.Key);
    }

    [Fact]
    public void A_command_with_both_ranges_and_polar_is_rejected()
    {
        var e = Assert.Throws<ConfigException>(() => TaskDefinition.Parse(
            Reach.Replace("polar: { radius: [0.1, 0.2] }", "polar: { radius: [0.1, 0.2] }\n    ranges: [[0, 1], [0, 1]]"), File));

        Assert.Equal("commands[1]", e.Key);
    }

    [Fact]
    public void Inverted_range_names_the_key()
    {
        var e = Assert.Throws<ConfigException>(() => TaskDefinition.Parse(Reach.Replace("[0.2, 0.3]", "[0.3, 0.2]"), File));

        Assert.Equal("commands[0].ranges[1]", e.Key);
        Assert.Contains("min <= max", e.Problem);
    }

    [Fact]
    public void Action_mapping_defaults_to_the_command_ranges()
    {
        var robot = RobotDefinition.Parse(RobotDefinitionTests.Arm, "/robots/arm.yaml");
        var (offset, scale) = TaskDefinition.Parse(Reach, File).Actions.Resolve(robot);

        Assert.Equal([0.0, 0.0], offset);
        Assert.Equal([5.0, 3.0], scale);
    }

    [Theory]
    [InlineData("scale: 0.5", new[] { 0.0, 0.0 }, new[] { 0.5, 0.5 })]
    [InlineData("scale: [1, 2]\n  offset: [0.1, -0.1]", new[] { 0.1, -0.1 }, new[] { 1.0, 2.0 })]
    [InlineData("offset: { wrist_servo: 1.0 }", new[] { 0.0, 1.0 }, new[] { 5.0, 3.0 })]
    public void Action_mapping_overrides_by_number_list_or_actuator_name(string yaml, double[] offset, double[] scale)
    {
        var robot = RobotDefinition.Parse(RobotDefinitionTests.Arm, "/robots/arm.yaml");
        var mapping = TaskDefinition.Parse(Reach + "\nactions:\n  " + yaml + "\n", File).Actions.Resolve(robot);

        Assert.Equal(offset, mapping.Offset);
        Assert.Equal(scale, mapping.Scale);
    }

    [Fact]
    public void Action_mapping_for_an_unknown_actuator_lists_the_actuators()
    {
        var robot = RobotDefinition.Parse(RobotDefinitionTests.Arm, "/robots/arm.yaml");
        var task = TaskDefinition.Parse(Reach + "\nactions:\n  scale: { elbow: 1 }\n", File);

        var e = Assert.Throws<ConfigException>(() => task.Actions.Resolve(robot));
        Assert.Equal("actions.scale.elbow", e.Key);
        Assert.Contains("shoulder_motor, wrist_servo", e.Problem);
    }
}
