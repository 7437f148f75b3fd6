using Robotics.Contract;
using Robotics.Sim.Randomization;
using YamlDotNet.RepresentationModel;

namespace Robotics.Sim.Tests.Randomization;

public sealed class RandomizationConfigParseTests
{
    private const string File = "tasks/test.yaml";

    private const string FullYaml = """
        body_mass:
          scale: [0.5, 2]
          bodies: [pole]
        geom_friction:
          scale: [0.5, 1.5]
        joint_damping:
          scale: [0.8, 1.2]
          joints: [hinge, slider]
        joint_armature:
          scale: 1.1
        actuator_gain:
          scale: [0.9, 1.1]
          common_scale: [0.8, 1.2]
          actuators: [servo]
        gravity:
          scale: {z: [0.95, 1.05]}
          offset: {x: [-0.2, 0.2], y: [-0.1, 0.3]}
        com_offset:
          x: [-0.01, 0.01]
          z: [0, 0.02]
          bodies: [cart]
        action_latency_steps: [0, 2]
        observation_noise_std: 0.01
        observation_noise_std_by_term: {imu_linear_acceleration: 0.3, joint_positions: 0}
        action_noise_std: 0.05
        push:
          force: [10, 40]
          interval: [1, 3]
          duration: 0.2
          bodies: [pole]
          horizontal: false
        """;

    [Fact]
    public void Every_key_is_read()
    {
        var config = RandomizationConfig.ParseYaml(FullYaml, File);

        Assert.Equal(new RandomRange(0.5, 2), config.BodyMass!.Scale);
        Assert.Equal(["pole"], config.BodyMass.Targets);
        Assert.Empty(config.GeomFriction!.Targets);
        Assert.Equal(["hinge", "slider"], config.JointDamping!.Targets);
        Assert.Equal(RandomRange.Fixed(1.1), config.JointArmature!.Scale);
        Assert.Equal(["servo"], config.ActuatorGain!.Targets);
        Assert.Equal(new RandomRange(0.8, 1.2), config.ActuatorGain.Common);
        Assert.Null(config.BodyMass.Common);
        Assert.Equal(new RandomRange(0.95, 1.05), config.Gravity!.Scale.Z);
        Assert.Equal(RandomRange.Fixed(1), config.Gravity.Scale.X);
        Assert.Equal(new RandomRange(-0.1, 0.3), config.Gravity.Offset.Y);
        Assert.Equal(RandomRange.Fixed(0), config.Gravity.Offset.Z);
        Assert.Equal(new RandomRange(0, 0.02), config.ComOffset!.Offset.Z);
        Assert.Equal(RandomRange.Fixed(0), config.ComOffset.Offset.Y);
        Assert.Equal(["cart"], config.ComOffset.Bodies);
        Assert.Equal(new IntRange(0, 2), config.ActionLatencySteps);
        Assert.Equal(0.01, config.ObservationNoiseStd);
        Assert.Equal(0.3, config.ObservationNoiseStdByTerm["imu_linear_acceleration"]);
        Assert.Equal(0, config.ObservationNoiseStdByTerm["joint_positions"]);
        Assert.Equal(0.05, config.ActionNoiseStd);
        Assert.Equal(new RandomRange(10, 40), config.Push!.Force);
        Assert.Equal(new RandomRange(1, 3), config.Push.Interval);
        Assert.Equal(0.2, config.Push.Duration);
        Assert.Equal(["pole"], config.Push.Bodies);
        Assert.False(config.Push.Horizontal);
        Assert.False(config.IsOff);
    }

    [Fact]
    public void ToYaml_round_trips()
    {
        var config = RandomizationConfig.ParseYaml(FullYaml, File);

        string yaml = config.ToYaml();
        var again = RandomizationConfig.ParseYaml(yaml, File);

        Assert.Equal(yaml, again.ToYaml());
        Assert.Equal(config.BodyMass!.Scale, again.BodyMass!.Scale);
        Assert.Equal(config.Gravity, again.Gravity);
        Assert.Equal(config.Push!.Force, again.Push!.Force);
        Assert.Equal(config.Push.Bodies, again.Push.Bodies);
        Assert.Equal(config.ActionLatencySteps, again.ActionLatencySteps);
    }

    [Fact]
    public void Round_trip_keeps_doubles_exact()
    {
        var config = new RandomizationConfig
        {
            BodyMass = new ScaleRandomization(new RandomRange(0.1 + 0.2, 1.0 / 3)),
            ObservationNoiseStd = 1e-7,
        };

        var again = RandomizationConfig.ParseYaml(config.ToYaml(), File);

        Assert.Equal(config.BodyMass.Scale, again.BodyMass!.Scale);
        Assert.Equal(1e-7, again.ObservationNoiseStd);
    }

    [Fact]
    public void Default_config_is_off_and_round_trips_as_an_empty_mapping()
    {
        var config = new RandomizationConfig();

        Assert.True(config.IsOff);
        Assert.True(RandomizationConfig.ParseYaml(config.ToYaml(), File).IsOff);
        Assert.True(RandomizationConfig.ParseYaml("", File).IsOff);
    }

    [Fact]
    public void Parse_reads_a_mapping_node_from_a_task_file()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader("randomization:\n  observation_noise_std: 0.5\n"));
        var task = (YamlMappingNode)stream.Documents[0].RootNode;

        var config = RandomizationConfig.Parse((YamlMappingNode)task["randomization"], File);

        Assert.Equal(0.5, config.ObservationNoiseStd);
    }

    [Theory]
    [InlineData("body_masss:\n  scale: [1, 2]", "randomization.body_masss", "unknown key")]
    [InlineData("body_mass:\n  scale: [2, 1]", "randomization.body_mass.scale", "min <= max")]
    [InlineData("body_mass:\n  scale: [0, 1]", "randomization.body_mass.scale", "> 0")]
    [InlineData("body_mass:\n  scale: abc", "randomization.body_mass.scale", "expected a number")]
    [InlineData("body_mass:\n  scale: [1, 2, 3]", "randomization.body_mass.scale", "expected [min, max]")]
    [InlineData("body_mass:\n  bodies: [pole]", "randomization.body_mass.scale", "required")]
    [InlineData("body_mass: [1, 2]", "randomization.body_mass", "expected a mapping")]
    [InlineData("body_mass:\n  scale: 1\n  common_scale: [0, 1]", "randomization.body_mass.common_scale", "> 0")]
    [InlineData("actuator_gain:\n  scale: 1\n  common_scale: [1.2, 0.8]", "randomization.actuator_gain.common_scale", "min <= max")]
    [InlineData("body_mass:\n  scale: [1, 2]\n  bodies: pole", "randomization.body_mass.bodies", "list of names")]
    [InlineData("geom_friction:\n  scale: [1, 2]\n  bodies: [a]", "randomization.geom_friction.bodies", "unknown key")]
    [InlineData("gravity:\n  offset: {w: [0, 1]}", "randomization.gravity.offset.w", "unknown key")]
    [InlineData("gravity:\n  scale: {z: [1.1, 0.9]}", "randomization.gravity.scale.z", "min <= max")]
    [InlineData("com_offset:\n  x: [0.1, -0.1]", "randomization.com_offset.x", "min <= max")]
    [InlineData("action_latency_steps: [0, 1.5]", "randomization.action_latency_steps", "whole number")]
    [InlineData("action_latency_steps: [-1, 2]", "randomization.action_latency_steps", ">= 0")]
    [InlineData("action_latency_steps: [3, 1]", "randomization.action_latency_steps", "min <= max")]
    [InlineData("observation_noise_std: -0.1", "randomization.observation_noise_std", ">= 0")]
    [InlineData("action_noise_std: [0.1]", "randomization.action_noise_std", "expected a number")]
    [InlineData("push:\n  force: [1, 2]\n  interval: [1, 2]", "randomization.push.duration", "required")]
    [InlineData("push:\n  force: [1, 2]\n  interval: [0, 2]\n  duration: 0.1", "randomization.push.interval", "> 0")]
    [InlineData("push:\n  force: [1, 2]\n  interval: [1, 2]\n  duration: 0.1\n  strength: 3", "randomization.push.strength", "unknown key")]
    [InlineData("push:\n  force: [1, 2]\n  interval: [1, 2]\n  duration: 0.1\n  horizontal: maybe", "randomization.push.horizontal", "true or false")]
    public void Bad_input_names_the_key(string yaml, string key, string problem)
    {
        var error = Assert.Throws<ConfigException>(() => RandomizationConfig.ParseYaml(yaml, File));

        Assert.Equal(File, error.File);
        Assert.Equal(key, error.Key);
        Assert.Contains(problem, error.Problem);
        Assert.StartsWith("expected", error.Problem);
    }

    [Fact]
    public void Not_a_mapping_is_an_error()
    {
        var error = Assert.Throws<ConfigException>(() => RandomizationConfig.ParseYaml("[1, 2]", File));

        Assert.Equal("randomization", error.Key);
    }
}
