using Robotics.Contract;
using Robotics.Runtime.Safety;

namespace Robotics.Runtime.Tests.Safety;

public sealed class SafetyLayerTests
{
    private static readonly SafetyOptions NoRateLimit = new() { MaxChangePerSecond = 1e9 };

    private static (SafetyLayer Layer, RobotState State) Create(SafetyOptions options)
    {
        var layer = new SafetyLayer(TestRobot.Contract(), options, rateHz: 50);
        var state = new RobotState(2);
        layer.Reset(state);
        return (layer, state);
    }

    [Fact]
    public void Position_command_is_clamped_to_the_joint_range_inside_the_actuator_range()
    {
        var (layer, state) = Create(NoRateLimit);
        var command = new float[2];

        var flags = layer.Apply([1.0f, 0f], state, command);

        Assert.Equal(0.8f, command[0]); // actuator allows 1.0, the hip joint only 0.8
        Assert.True(flags.HasFlag(SafetyFlags.Clamped));
    }

    [Fact]
    public void Effort_command_is_clamped_to_the_joint_effort_limit()
    {
        var (layer, state) = Create(NoRateLimit);
        var command = new float[2];

        layer.Apply([0f, -5f], state, command);

        Assert.Equal(-4f, command[1]); // actuator allows ±5, the knee ±4
    }

    [Fact]
    public void Effort_pushing_a_joint_further_past_its_position_limit_is_zeroed()
    {
        var (layer, state) = Create(NoRateLimit);
        state.JointPositions[1] = 1.6; // past the knee's 1.5
        var command = new float[2];

        layer.Apply([0f, 3f], state, command);
        Assert.Equal(0f, command[1]);

        layer.Apply([0f, -3f], state, command);
        Assert.Equal(-3f, command[1]); // pulling back inside is allowed
    }

    [Fact]
    public void Effort_accelerating_a_joint_over_its_velocity_limit_is_zeroed()
    {
        var (layer, state) = Create(NoRateLimit);
        state.JointVelocities[1] = -9; // the knee's limit is 8 rad/s
        var command = new float[2];

        layer.Apply([0f, -2f], state, command);

        Assert.Equal(0f, command[1]);
    }

    [Fact]
    public void Change_per_tick_is_limited_to_the_configured_fraction_of_the_range_per_second()
    {
        // 1 range/s at 50 Hz: the hip (range 2) may move 0.04 per tick, the knee (range 10) 0.2.
        var (layer, state) = Create(new SafetyOptions { MaxChangePerSecond = 1 });
        var command = new float[2];

        var flags = layer.Apply([0.5f, 4f], state, command);
        Assert.Equal(0.04f, command[0], 6);
        Assert.Equal(0.2f, command[1], 6);
        Assert.True(flags.HasFlag(SafetyFlags.RateLimited));

        layer.Apply([0.5f, 4f], state, command);
        Assert.Equal(0.08f, command[0], 6);
        Assert.Equal(0.4f, command[1], 6);
    }

    [Fact]
    public void A_policy_trained_under_the_same_limit_is_cut_as_in_training_and_not_counted_as_an_intervention()
    {
        var limited = new SafetyLayer(TestRobot.Contract(), new SafetyOptions { MaxChangePerSecond = 1 }, rateHz: 50);
        var trained = new SafetyLayer(TestRobot.Contract(), new SafetyOptions { MaxChangePerSecond = 1 }, rateHz: 50, trainedMaxChangePerSecond: 1);
        var state = new RobotState(2);
        limited.Reset(state);
        trained.Reset(state);
        var expected = new float[2];
        var command = new float[2];

        foreach (var proposed in new[] { new[] { 0.5f, 4f }, [0.5f, 4f], [-0.3f, -1f], [0.01f, 0.1f] })
        {
            limited.Apply(proposed, state, expected);
            var flags = trained.Apply(proposed, state, command);

            Assert.Equal(expected, command);
            Assert.Equal(SafetyFlags.None, flags);
        }
    }

    [Fact]
    public void A_limit_below_the_trained_one_cuts_further_and_only_that_is_flagged()
    {
        // Trained at 2 ranges/s (hip 0.08 per tick), the robot allows 1 (0.04): the cut beyond training is an intervention.
        var layer = new SafetyLayer(TestRobot.Contract(), new SafetyOptions { MaxChangePerSecond = 1 }, rateHz: 50, trainedMaxChangePerSecond: 2);
        var state = new RobotState(2);
        layer.Reset(state);
        var command = new float[2];

        var flags = layer.Apply([0.06f, 0f], state, command);
        Assert.Equal(0.04f, command[0], 6);
        Assert.True(flags.HasFlag(SafetyFlags.RateLimited));

        flags = layer.Apply([0.07f, 0f], state, command);
        Assert.Equal(0.07f, command[0], 6);
        Assert.Equal(SafetyFlags.None, flags);
    }

    [Fact]
    public void A_limit_above_the_trained_one_leaves_the_trained_cut_in_place_unflagged()
    {
        // Trained at 1 range/s (hip 0.04 per tick); --max-change 1000 does not free the policy from what it learned under.
        var layer = new SafetyLayer(TestRobot.Contract(), NoRateLimit, rateHz: 50, trainedMaxChangePerSecond: 1);
        var state = new RobotState(2);
        layer.Reset(state);
        var command = new float[2];

        var flags = layer.Apply([0.5f, 4f], state, command);

        Assert.Equal(0.04f, command[0], 6);
        Assert.Equal(0.2f, command[1], 6);
        Assert.Equal(SafetyFlags.None, flags);
    }

    [Fact]
    public void NaN_and_Inf_are_replaced_by_the_safe_command_and_flagged()
    {
        var (layer, state) = Create(NoRateLimit);
        state.JointPositions[0] = 0.3;
        var command = new float[2];

        var flags = layer.Apply([float.NaN, float.PositiveInfinity], state, command);

        Assert.True(flags.HasFlag(SafetyFlags.NonFinite));
        Assert.Equal(0.3f, command[0]); // the hip holds where it is
        Assert.Equal(0f, command[1]); // the knee gets no effort
    }

    [Fact]
    public void Safe_command_holds_position_actuators_and_zeroes_effort_actuators()
    {
        var (layer, state) = Create(NoRateLimit);
        state.JointPositions[0] = 2.0; // beyond the hip's range: hold at its limit
        state.JointPositions[1] = 0.7;
        var safe = new float[2];

        layer.WriteSafeCommand(state, safe);

        Assert.Equal([0.8f, 0f], safe);
    }

    [Fact]
    public void A_contract_whose_actuator_drives_an_unknown_joint_is_refused_naming_it()
    {
        var contract = TestRobot.Contract() with { Actuators = [new ActuatorSpec("m", "ankle", "effort", -1, 1)] };

        var error = Assert.Throws<ConfigException>(() => new SafetyLayer(contract, new SafetyOptions(), 50));

        Assert.Contains("ankle", error.Message);
    }
}
