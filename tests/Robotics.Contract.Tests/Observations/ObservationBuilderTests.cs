using Robotics.Testing;
using Robotics.Contract.Observations;

namespace Robotics.Contract.Tests.Observations;

public sealed class ObservationBuilderTests
{
    private static readonly RobotContract Robot = new(
        "biped",
        [new JointSpec("hip", -1, 1, 10, 5), new JointSpec("knee", -2, 0, 10, 5), new JointSpec("ankle", -1, 1, 10, 2)],
        [new ActuatorSpec("hip", "hip", "position", -1, 1), new ActuatorSpec("knee", "knee", "position", -2, 0)],
        ControlRateHz: 50,
        PhysicsDecimation: 4,
        HasImu: true);

    private static PolicyContract Contract(params ObservationTermSpec[] terms) =>
        new(Robot, "walk", terms, [0, -1], [1, 1])
        {
            Commands = [new CommandSpec("heading", ["yaw"], [-1], [1]), new CommandSpec("velocity", ["x", "y"], [-1, -1], [1, 1])],
        };

    private static RobotState State()
    {
        var state = new RobotState(3) { HasImu = true };
        state.JointPositions[0] = 0.1; state.JointPositions[1] = -0.5; state.JointPositions[2] = 0.3;
        state.JointVelocities[0] = 1; state.JointVelocities[1] = 2; state.JointVelocities[2] = 3;
        state.JointEfforts[2] = -1.5;
        // Rotated +90° about x: the IMU's y axis points up.
        double h = Math.Sqrt(0.5);
        state.ImuOrientation[0] = h; state.ImuOrientation[1] = h; state.ImuOrientation[2] = 0; state.ImuOrientation[3] = 0;
        state.ImuAngularVelocity[0] = 0.5; state.ImuAngularVelocity[1] = -0.25; state.ImuAngularVelocity[2] = 0.125;
        return state;
    }

    [Fact]
    public void Builds_every_robot_term_in_contract_order_from_a_hand_made_state()
    {
        var contract = Contract(
            new ObservationTermSpec(ObservationKinds.JointPositions, ["ankle", "hip"], 2),
            new ObservationTermSpec(ObservationKinds.JointVelocities, ["knee"], 1),
            new ObservationTermSpec(ObservationKinds.JointEfforts, ["ankle"], 1),
            new ObservationTermSpec(ObservationKinds.ProjectedGravity, ["x", "y", "z"], 3),
            new ObservationTermSpec(ObservationKinds.ImuAngularVelocity, ["x", "y", "z"], 3),
            new ObservationTermSpec(ObservationKinds.ImuOrientation, ["w", "x", "y", "z"], 4),
            new ObservationTermSpec(ObservationKinds.PreviousAction, ["hip", "knee"], 2),
            new ObservationTermSpec(ObservationKinds.Command, ["velocity"], 2));
        var builder = ObservationBuilder.ForRobot(contract);
        var observation = new float[builder.Size];

        builder.Build(State(), [0.25f, -0.75f], [0.9, 0.4, -0.2], observation);

        float h = (float)Math.Sqrt(0.5);
        // Rotated +90° about x, the world's down (0, 0, -1) is (0, -1, 0) in the body frame.
        Assert.Equal(
            [0.3f, 0.1f, 2f, -1.5f, 0f, -1f, 0f, 0.5f, -0.25f, 0.125f, h, h, 0f, 0f, 0.25f, -0.75f, 0.4f, -0.2f],
            observation, new FloatTolerance(1e-6f));
    }

    [Fact]
    public void The_accelerometer_term_is_the_specific_force_in_the_IMU_frame_as_the_robot_reports_it()
    {
        var builder = ObservationBuilder.ForRobot(Contract(new ObservationTermSpec(ObservationKinds.ImuLinearAcceleration, ["x", "y", "z"], 3)));
        var state = State();
        state.ImuLinearAcceleration[0] = 5.4; state.ImuLinearAcceleration[1] = -0.5; state.ImuLinearAcceleration[2] = 9.81;
        var observation = new float[builder.Size];

        builder.Build(state, [0f, 0f], [0, 0, 0], observation);

        Assert.Equal([5.4f, -0.5f, 9.81f], observation);
        Assert.Contains(ObservationKinds.ImuLinearAcceleration, ObservationKinds.RobotSupplied);
    }

    [Theory]
    [InlineData(0.0, 0.0, 1.0)]
    [InlineData(Math.PI / 2, 1.0, 0.0)]
    [InlineData(Math.PI, 0.0, -1.0)]
    [InlineData(-Math.PI, 0.0, -1.0)]
    [InlineData(7.5, 0.9379999767747389, 0.3466353178350258)] // 7.5 rad is 1.2168 rad past one full turn
    public void Joint_angles_sincos_gives_sine_then_cosine_of_the_encoder_angle(double angle, double sin, double cos)
    {
        var builder = ObservationBuilder.ForRobot(Contract(new ObservationTermSpec(ObservationKinds.JointAnglesSinCos, ["knee"], 2)));
        var state = State();
        state.JointPositions[1] = angle;
        var observation = new float[2];

        builder.Build(state, [0, 0], [0, 0, 0], observation);

        Assert.Equal([(float)sin, (float)cos], observation, new FloatTolerance(1e-7f));
    }

    [Fact]
    public void Joint_angles_sincos_is_the_same_for_angles_a_whole_turn_apart()
    {
        var builder = ObservationBuilder.ForRobot(Contract(new ObservationTermSpec(ObservationKinds.JointAnglesSinCos, ["knee"], 2)));
        var state = State();
        var wrapped = new float[2];
        var unwrapped = new float[2];

        state.JointPositions[1] = 7.5 - 2 * Math.PI;
        builder.Build(state, [0, 0], [0, 0, 0], wrapped);
        state.JointPositions[1] = 7.5;
        builder.Build(state, [0, 0], [0, 0, 0], unwrapped);

        Assert.Equal(wrapped, unwrapped, new FloatTolerance(1e-6f));
    }

    [Fact]
    public void Joint_angles_sincos_lays_out_each_joint_as_a_sine_cosine_pair_in_the_named_order()
    {
        var builder = ObservationBuilder.ForRobot(Contract(
            new ObservationTermSpec(ObservationKinds.PreviousAction, ["hip", "knee"], 2),
            new ObservationTermSpec(ObservationKinds.JointAnglesSinCos, ["ankle", "hip"], 4)));
        var state = State();
        state.JointPositions[0] = Math.PI / 2; // hip
        state.JointPositions[2] = Math.PI;     // ankle
        var observation = new float[builder.Size];

        builder.Build(state, [0.5f, -0.5f], [0, 0, 0], observation);

        Assert.Equal(6, builder.Size);
        Assert.Equal([0.5f, -0.5f, 0f, -1f, 1f, 0f], observation, new FloatTolerance(1e-7f));
    }

    [Fact]
    public void Joint_angles_sincos_of_a_joint_the_robot_does_not_report_is_refused_on_the_robot()
    {
        var contract = Contract(new ObservationTermSpec(ObservationKinds.JointAnglesSinCos, ["hip", "wheel"], 4));

        var e = Assert.Throws<NotSupportedException>(() => ObservationBuilder.ForRobot(contract));

        Assert.Contains("term 0 'joint_angles_sincos' (hip, wheel): joints the robot does not report (wheel)", e.Message);
    }

    [Fact]
    public void Joint_angles_sincos_of_the_wrong_size_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            ObservationBuilder.ForRobot(Contract(new ObservationTermSpec(ObservationKinds.JointAnglesSinCos, ["hip"], 1))));

        Assert.Contains("'joint_angles_sincos' has size 1; expected 2", e.Message);
    }

    [Fact]
    public void Joint_angles_sincos_is_a_robot_term_that_survives_JSON_and_is_covered_by_the_hash()
    {
        var contract = Contract(
            new ObservationTermSpec(ObservationKinds.JointVelocities, ["hip"], 1),
            new ObservationTermSpec(ObservationKinds.JointAnglesSinCos, ["knee"], 2));

        string json = contract.ToJson();
        var back = PolicyContract.FromJson(json);

        Assert.Contains(ObservationKinds.JointAnglesSinCos, ObservationKinds.RobotSupplied);
        Assert.Contains("""{"kind":"joint_angles_sincos","names":["knee"],"size":2}""", json);
        Assert.Equal(contract.Hash, back.Hash);
        Assert.Equal(contract.Observations, back.Observations, ObservationTermComparer.Instance);
        Assert.Equal(3, ObservationBuilder.ForRobot(back).Size);
        // The term is part of what the hash covers: the same layout with joint positions instead hashes differently.
        var positions = contract with { Observations = [contract.Observations[0], new ObservationTermSpec(ObservationKinds.JointPositions, ["knee"], 2)] };
        Assert.NotEqual(contract.Hash, positions.Hash);
    }

    [Fact]
    public void A_contract_without_the_new_term_keeps_the_hash_it_had_before_the_term_existed()
    {
        // Term kinds are strings in the contract, not an enumeration: a new kind leaves the JSON, and so the hash and
        // every exported model and firmware image, of existing contracts as they were. Recorded before
        // joint_angles_sincos was added.
        var contract = Contract(
            new ObservationTermSpec(ObservationKinds.JointPositions, ["hip", "knee", "ankle"], 3),
            new ObservationTermSpec(ObservationKinds.JointVelocities, ["hip", "knee", "ankle"], 3),
            new ObservationTermSpec(ObservationKinds.ProjectedGravity, ["x", "y", "z"], 3),
            new ObservationTermSpec(ObservationKinds.PreviousAction, ["hip", "knee"], 2),
            new ObservationTermSpec(ObservationKinds.Command, ["velocity"], 2));

        Assert.Equal("f24e67f22daa0d8ae56cac37d8cbed4edfa082b785e898cc922cc9bb265afcef", contract.Hash);
    }

    [Fact]
    public void Policy_contract_keeps_its_commands_through_JSON()
    {
        var contract = Contract(new ObservationTermSpec(ObservationKinds.Command, ["velocity"], 2));

        var back = PolicyContract.FromJson(contract.ToJson());

        Assert.Equal(contract.Commands, back.Commands);
        Assert.Equal(3, back.CommandSize);
        Assert.Equal(contract.Hash, back.Hash);
        Assert.Equal(2, ObservationBuilder.ForRobot(back).Size);
    }

    [Fact]
    public void Level_IMU_sees_gravity_straight_down()
    {
        var builder = ObservationBuilder.ForRobot(Contract(new ObservationTermSpec(ObservationKinds.ProjectedGravity, ["x", "y", "z"], 3)));
        var state = new RobotState(3) { HasImu = true };
        var observation = new float[3];

        builder.Build(state, [0, 0], [0, 0, 0], observation);

        Assert.Equal([0f, 0f, -1f], observation);
    }

    [Fact]
    public void Orientation_is_given_with_a_non_negative_w()
    {
        var builder = ObservationBuilder.ForRobot(Contract(new ObservationTermSpec(ObservationKinds.ImuOrientation, ["w", "x", "y", "z"], 4)));
        var state = new RobotState(3) { HasImu = true };
        state.ImuOrientation[0] = -0.6; state.ImuOrientation[3] = -0.8;
        var observation = new float[4];

        builder.Build(state, [0, 0], [0, 0, 0], observation);

        Assert.Equal([0.6f, 0f, 0f, 0.8f], observation, new FloatTolerance(1e-6f));
    }

    [Fact]
    public void For_robot_names_every_term_a_robot_cannot_supply()
    {
        var contract = Contract(
            new ObservationTermSpec(ObservationKinds.JointPositions, ["hip", "rootz"], 2),
            new ObservationTermSpec(ObservationKinds.BodyPosition, ["torso"], 3));

        var e = Assert.Throws<NotSupportedException>(() => ObservationBuilder.ForRobot(contract));

        Assert.Contains("rootz", e.Message);
        Assert.Contains("term 1 'body_position'", e.Message);
        Assert.Contains("only in simulation", e.Message);
    }

    [Theory]
    [InlineData(ObservationKinds.ProjectedGravity)]
    [InlineData(ObservationKinds.ImuLinearAcceleration)]
    public void For_robot_rejects_IMU_terms_when_the_robot_has_no_IMU(string kind)
    {
        var contract = Contract(new ObservationTermSpec(kind, ["x", "y", "z"], 3)) with
        {
            Robot = Robot with { HasImu = false },
        };

        var e = Assert.Throws<NotSupportedException>(() => ObservationBuilder.ForRobot(contract));
        Assert.Contains("IMU", e.Message);
    }

    [Fact]
    public void For_simulation_leaves_simulation_terms_to_the_simulator()
    {
        var contract = Contract(
            new ObservationTermSpec(ObservationKinds.BodyPosition, ["torso"], 3),
            new ObservationTermSpec(ObservationKinds.JointPositions, ["hip"], 1));
        var builder = ObservationBuilder.ForSimulation(contract);
        var observation = new float[] { 7, 7, 7, 7 };

        builder.Build(State(), [0, 0], [0, 0, 0], observation);

        Assert.False(builder.Handles(0));
        Assert.True(builder.Handles(1));
        Assert.Equal(3, builder.OffsetOf(1));
        Assert.Equal([7f, 7f, 7f, 0.1f], observation);
    }

    [Fact]
    public void Wrong_buffer_sizes_are_named()
    {
        var builder = ObservationBuilder.ForRobot(Contract(new ObservationTermSpec(ObservationKinds.PreviousAction, ["hip", "knee"], 2)));

        var e = Assert.Throws<ArgumentException>(() => builder.Build(State(), [0f], [0, 0, 0], new float[2]));
        Assert.Contains("previous actions", e.Message);
    }

    [Fact]
    public void Build_does_not_allocate()
    {
        var builder = ObservationBuilder.ForRobot(Contract(
            new ObservationTermSpec(ObservationKinds.JointPositions, ["hip", "knee", "ankle"], 3),
            new ObservationTermSpec(ObservationKinds.JointAnglesSinCos, ["knee", "ankle"], 4),
            new ObservationTermSpec(ObservationKinds.ProjectedGravity, ["x", "y", "z"], 3),
            new ObservationTermSpec(ObservationKinds.PreviousAction, ["hip", "knee"], 2),
            new ObservationTermSpec(ObservationKinds.Command, ["heading"], 1)));
        var state = State();
        var previous = new float[2];
        var command = new double[3];
        var observation = new float[builder.Size];
        builder.Build(state, previous, command, observation);

        Allocations.AssertOneCleanWindow(() => builder.Build(state, previous, command, observation), calls: 1000, "building an observation");
    }

    /// <summary>Records with list members compare lists by reference; this compares their contents.</summary>
    private sealed class ObservationTermComparer : IEqualityComparer<ObservationTermSpec>
    {
        public static readonly ObservationTermComparer Instance = new();

        public bool Equals(ObservationTermSpec? x, ObservationTermSpec? y) =>
            x is not null && y is not null && x.Kind == y.Kind && x.Size == y.Size && x.Names.SequenceEqual(y.Names);

        public int GetHashCode(ObservationTermSpec obj) => obj.Kind.GetHashCode(StringComparison.Ordinal);
    }

    private sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}
