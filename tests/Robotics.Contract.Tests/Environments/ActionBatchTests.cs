using Robotics.Contract.Environments;

namespace Robotics.Contract.Tests.Environments;

/// <summary>The one rule for an action batch, and the vectors of this assembly that cut or hold a batch applying it.</summary>
public sealed class ActionBatchTests
{
    // 3 environments × 2 actions, bounds ±1.
    private static readonly EnvSpec Spec = NullVectorEnv.SpecOf(3);

    [Fact]
    public void A_batch_of_the_wrong_size_is_refused_with_the_bytes_it_holds_and_the_shape_expected()
    {
        var e = Assert.Throws<ActionBatchException>(() => ActionBatch.Check(Spec, new float[5]));

        Assert.Equal(ActionBatchFault.WrongSize, e.Fault);
        Assert.Equal("actions hold 20 bytes; expected 3 envs × 2 actions = 6 float32 (24 bytes)", e.Message);
    }

    [Fact]
    public void Bytes_that_are_not_whole_floats_are_the_wrong_size()
    {
        var e = Assert.Throws<ActionBatchException>(() => ActionBatch.CheckByteSize(Spec, 7));

        Assert.Equal("actions hold 7 bytes; expected 3 envs × 2 actions = 6 float32 (24 bytes)", e.Message);
    }

    [Fact]
    public void A_NaN_is_refused_naming_its_environment_and_action()
    {
        var actions = new float[6];
        actions[5] = float.NaN;

        var e = Assert.Throws<ActionBatchException>(() => ActionBatch.Check(Spec, actions));

        Assert.Equal(ActionBatchFault.NotFinite, e.Fault);
        Assert.Equal("action 1 of env 2 is NaN; every action must be finite", e.Message);
    }

    [Fact]
    public void An_infinity_is_refused_and_the_first_bad_value_is_named()
    {
        var actions = new float[6];
        actions[2] = float.NegativeInfinity;
        actions[4] = float.NaN;

        var e = Assert.Throws<ActionBatchException>(() => ActionBatch.Check(Spec, actions));

        Assert.Equal(ActionBatchFault.NotFinite, e.Fault);
        Assert.StartsWith("action 0 of env 1 is ", e.Message);
    }

    [Fact]
    public void The_size_is_judged_before_the_values()
    {
        var e = Assert.Throws<ActionBatchException>(() => ActionBatch.Check(Spec, [float.NaN, 0, 0]));

        Assert.Equal(ActionBatchFault.WrongSize, e.Fault);
    }

    [Fact]
    public void A_finite_value_outside_the_bounds_is_not_a_fault_the_environment_clamps_it()
    {
        ActionBatch.Check(Spec, [1e30f, -1e30f, 2, -2, float.MaxValue, float.MinValue]);
    }

    [Fact]
    public void An_action_batch_fault_is_an_argument_exception()
    {
        Assert.IsAssignableFrom<ArgumentException>(Assert.Throws<ActionBatchException>(() => ActionBatch.Check(Spec, [])));
    }

    [Theory]
    [InlineData(5, -1)]
    [InlineData(6, 5)]
    [InlineData(6, 0)]
    public void A_grouped_vector_refuses_what_the_rule_refuses_naming_the_environment_in_the_whole(int size, int nanAt)
    {
        var groups = new[] { new NullVectorEnv(2), new NullVectorEnv(1) };
        using var grouped = new GroupedVectorEnv(groups.Select(g => new SplitStepAdapter(g)));
        var actions = Batch(size, nanAt);
        var into = new VectorStep(3, 1);

        var e = Assert.Throws<ActionBatchException>(() => grouped.Step(actions, into));

        Assert.Equal(Expected(actions).Message, e.Message);
        Assert.All(groups, g => Assert.Equal(0, g.Steps));
    }

    [Theory]
    [InlineData(5, -1)]
    [InlineData(6, 3)]
    public void A_split_step_vector_refuses_the_batch_when_it_is_sent(int size, int nanAt)
    {
        var inner = new NullVectorEnv(3);
        using var split = new SplitStepAdapter(inner);
        var actions = Batch(size, nanAt);

        var e = Assert.Throws<ActionBatchException>(() => split.SendStep(actions));

        Assert.Equal(Expected(actions).Message, e.Message);
        Assert.Equal(0, inner.Steps);
    }

    private static float[] Batch(int size, int nanAt)
    {
        var actions = new float[size];
        if (nanAt >= 0) actions[nanAt] = float.NaN;
        return actions;
    }

    private static ActionBatchException Expected(float[] actions) => Assert.Throws<ActionBatchException>(() => ActionBatch.Check(Spec, actions));

    /// <summary>Environments that observe nothing and count the steps that reach them, checking batches as every vector does.</summary>
    private sealed class NullVectorEnv(int numEnvs) : IVectorEnv
    {
        private static readonly PolicyContract Contract = new(
            new RobotContract(
                "null",
                [new JointSpec("slide", -1, 1, 1, 1)],
                [new ActuatorSpec("a", "slide", "effort", -1, 1), new ActuatorSpec("b", "slide", "effort", -1, 1)],
                100,
                1,
                false),
            "null-task",
            [new ObservationTermSpec("x", ["x"], 1)],
            [0, 0],
            [1, 1]);

        public static EnvSpec SpecOf(int numEnvs) => new(numEnvs, 1, 2, [-1f, -1f], [1f, 1f], Contract, 0.01, 10);

        public EnvSpec Spec { get; } = SpecOf(numEnvs);

        public int Steps { get; private set; }

        public void Reset(int seed, VectorStep into)
        {
        }

        public void Step(ReadOnlySpan<float> actions, VectorStep into)
        {
            ActionBatch.Check(Spec, actions);
            Steps++;
        }

        public void Dispose()
        {
        }
    }
}
