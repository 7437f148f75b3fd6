using Robotics.Contract.Definitions;

namespace Robotics.Contract.Tests.Definitions;

public sealed class RobotDefinitionTests
{
    private const string File = "/robots/arm.yaml";

    internal const string Arm = """
        name: arm
        mjcf: arm.xml
        control_rate_hz: 50
        physics_decimation: 4
        joint_defaults:
          velocity: 10
        joints:
          - name: shoulder
            position: [-1.5, 1.5]
            effort: 5
          - name: wrist
            position: unlimited
            velocity: 20
            effort: 1
        actuators:
          - { name: shoulder_motor, joint: shoulder, mode: effort, command: [-5, 5] }
          - { name: wrist_servo, joint: wrist, mode: position, command: [-3, 3] }
        imu:
          site: imu
        """;

    [Fact]
    public void Parses_joints_actuators_rates_and_imu_in_order()
    {
        var robot = RobotDefinition.Parse(Arm, File);

        Assert.Equal("arm", robot.Name);
        Assert.Equal("/robots/arm.xml", robot.MjcfPath);
        Assert.Equal([new JointSpec("shoulder", -1.5, 1.5, 10, 5), new JointSpec("wrist", double.NegativeInfinity, double.PositiveInfinity, 20, 1)], robot.Joints);
        Assert.Equal([new ActuatorSpec("shoulder_motor", "shoulder", "effort", -5, 5), new ActuatorSpec("wrist_servo", "wrist", "position", -3, 3)], robot.Actuators);
        Assert.Equal(0.02, robot.ControlDt, 12);
        Assert.Equal(0.005, robot.PhysicsDt, 12);
        Assert.Equal("imu", robot.Imu!.Site);
    }

    [Fact]
    public void Contract_carries_the_definition_and_survives_a_JSON_round_trip_with_unlimited_joints()
    {
        var contract = RobotDefinition.Parse(Arm, File).ToContract();

        Assert.True(contract.HasImu);
        Assert.Equal(4, contract.PhysicsDecimation);
        var back = RobotContract.FromJson(contract.ToJson());
        Assert.Empty(back.DifferencesFrom(contract));
        Assert.Equal(contract.Hash, back.Hash);
        Assert.True(double.IsPositiveInfinity(back.Joints[1].PositionMax));
    }

    private const string ArmWithPassiveJoint = """
        name: arm
        mjcf: arm.xml
        control_rate_hz: 50
        physics_decimation: 4
        joints:
          - { name: shoulder, position: [-1.5, 1.5], velocity: 10, effort: 5 }
          - { name: finger, position: [0, 0.5] }
        actuators:
          - { name: shoulder_motor, joint: shoulder, mode: effort, command: [-5, 5] }
        """;

    [Fact]
    public void A_joint_no_actuator_drives_may_leave_out_its_limits_and_its_contract_holds_no_limit()
    {
        var contract = RobotDefinition.Parse(ArmWithPassiveJoint, File).ToContract();

        Assert.Equal(new JointSpec("finger", 0, 0.5, double.PositiveInfinity, double.PositiveInfinity), contract.Joints[1]);
        Assert.Contains("\"velocity_max\":\"Infinity\"", contract.ToJson());
        var back = RobotContract.FromJson(contract.ToJson());
        Assert.Equal(contract.Hash, back.Hash);
        Assert.True(double.IsPositiveInfinity(back.Joints[1].EffortMax));
    }

    [Fact]
    public void A_joint_an_actuator_drives_still_needs_its_limits_and_the_error_names_the_actuator()
    {
        var e = Assert.Throws<ConfigException>(() => RobotDefinition.Parse(ArmWithPassiveJoint.Replace(", velocity: 10, effort: 5", ", effort: 5"), File));

        Assert.Equal("joints[0].velocity", e.Key);
        Assert.Contains("actuator 'shoulder_motor' drives joint 'shoulder'", e.Problem);
        Assert.Contains("joint_defaults", e.Problem);
    }

    [Fact]
    public void Joint_defaults_still_apply_to_a_joint_no_actuator_drives()
    {
        var robot = RobotDefinition.Parse(ArmWithPassiveJoint.Replace("joints:\n", "joint_defaults: { velocity: 3 }\njoints:\n"), File);

        Assert.Equal(3, robot.Joints[1].VelocityMax);
        Assert.True(double.IsPositiveInfinity(robot.Joints[1].EffortMax));
    }

    [Fact]
    public void Contract_hash_is_stable_for_the_same_file()
    {
        string first = RobotDefinition.Parse(Arm, File).ToContract().Hash;
        string second = RobotDefinition.Parse(Arm, "/elsewhere/arm.yaml").ToContract().Hash;

        Assert.Equal(first, second);
        // Pinned: a change here means every deployed robot's handshake hash changes.
        Assert.Equal("9ff2d56aeb4d7a33c5526e8479ce3d280f9c11fa9f3db523148479ae3e8e603d", first);
    }

    [Fact]
    public void Contract_hash_changes_when_a_joint_limit_changes()
    {
        var original = RobotDefinition.Parse(Arm, File).ToContract();
        var changed = RobotDefinition.Parse(Arm.Replace("position: [-1.5, 1.5]", "position: [-1.5, 1.4]"), File).ToContract();

        Assert.NotEqual(original.Hash, changed.Hash);
        Assert.Contains(changed.DifferencesFrom(original), d => d.Contains("shoulder"));
    }

    [Fact]
    public void Missing_key_names_the_file_the_key_and_what_was_expected()
    {
        var e = Assert.Throws<ConfigException>(() => RobotDefinition.Parse(Arm.Replace("control_rate_hz: 50\n", ""), File));

        Assert.Equal(File, e.File);
        Assert.Equal("control_rate_hz", e.Key);
        Assert.Contains("Hz", e.Problem);
    }

    [Fact]
    public void Unknown_key_is_rejected_with_its_line_and_the_allowed_keys()
    {
        var e = Assert.Throws<ConfigException>(() => RobotDefinition.Parse(Arm.Replace("    effort: 5", "    effort: 5\n    efort: 6"), File));

        Assert.Equal("joints[0].efort", e.Key);
        Assert.Contains("line 11", e.Problem);
        Assert.Contains("velocity", e.Problem);
    }

    [Fact]
    public void Wrong_type_names_the_key_and_the_value_found()
    {
        var e = Assert.Throws<ConfigException>(() => RobotDefinition.Parse(Arm.Replace("velocity: 20", "velocity: fast"), File));

        Assert.Equal("joints[1].velocity", e.Key);
        Assert.Contains("'fast'", e.Problem);
        Assert.Contains("number", e.Problem);
    }

    [Fact]
    public void Invalid_YAML_gives_the_line()
    {
        var e = Assert.Throws<ConfigException>(() => RobotDefinition.Parse("name: arm\nmjcf: x: y\n", File));

        Assert.Equal(File, e.File);
        Assert.Contains("YAML syntax error at line 2", e.Problem);
    }

    [Fact]
    public void An_indentation_error_leads_with_the_line_and_what_to_check_then_the_parser_s_words()
    {
        const string misindented = "name: arm\nmjcf: arm.xml\njoints:\n  - name: shoulder\n     position: [0, 1]\n";

        var e = Assert.Throws<ConfigException>(() => RobotDefinition.Parse(misindented, File));

        Assert.Equal(File, e.File);
        Assert.StartsWith("YAML syntax error at line 5, column ", e.Problem);
        int advice = e.Problem.IndexOf("check the indentation", StringComparison.Ordinal);
        int detail = e.Problem.IndexOf("Parser detail: ", StringComparison.Ordinal);
        Assert.True(advice > 0 && detail > advice, e.Problem);
        Assert.True(e.Problem.Length > detail + "Parser detail: ".Length + 10, "the parser's own words follow: " + e.Problem);
        Assert.DoesNotContain("(Line: ", e.Problem);
        Assert.DoesNotContain('\n', e.Problem);
    }

    [Fact]
    public void Unclosed_bracket_is_a_config_error_too()
    {
        var e = Assert.Throws<ConfigException>(() => RobotDefinition.Parse("name: arm\njoints: [a, b\nmjcf: x.xml\n", File));

        Assert.Equal(File, e.File);
        Assert.Contains("invalid YAML", e.Problem);
    }

    [Fact]
    public void Actuator_on_an_unlisted_joint_names_the_known_joints()
    {
        var e = Assert.Throws<ConfigException>(() => RobotDefinition.Parse(Arm.Replace("joint: wrist", "joint: elbow"), File));

        Assert.Equal("actuators[1].joint", e.Key);
        Assert.Contains("shoulder, wrist", e.Problem);
    }

    [Fact]
    public void Unknown_actuator_mode_lists_the_modes()
    {
        var e = Assert.Throws<ConfigException>(() => RobotDefinition.Parse(Arm.Replace("mode: position", "mode: torque"), File));

        Assert.Equal("actuators[1].mode", e.Key);
        Assert.Contains("effort, position, velocity", e.Problem);
    }

    [Fact]
    public void Missing_file_is_a_config_error()
    {
        var e = Assert.Throws<ConfigException>(() => RobotDefinition.Load("/nonexistent/robot.yaml"));

        Assert.Equal("/nonexistent/robot.yaml", e.File);
        Assert.Contains("not found", e.Problem);
    }
}
