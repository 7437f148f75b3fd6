using Robotics.Contract;

namespace Robotics.Contract.Tests;

public sealed class PolicyContractTests
{
    private static PolicyContract Contract() => new(
        new RobotContract("probe", [new JointSpec("hinge", -1, 1, 5, 2)], [new ActuatorSpec("motor", "hinge", "position", -1, 1)], 50, 4, false),
        "probe-task",
        [new ObservationTermSpec("joint_positions", ["hinge"], 1)],
        [0.0],
        [0.5]);

    [Fact]
    public void A_policy_trained_without_a_rate_limit_writes_no_limit_so_its_contract_and_hash_are_those_of_before()
    {
        var json = Contract().ToJson();

        Assert.DoesNotContain("max_change", json);
        Assert.Equal(
            """{"robot":{"robot":"probe","joints":[{"name":"hinge","position_min":-1,"position_max":1,"velocity_max":5,"effort_max":2}],"actuators":[{"name":"motor","joint":"hinge","mode":"position","command_min":-1,"command_max":1}],"control_rate_hz":50,"physics_decimation":4,"has_imu":false},"task":"probe-task","observations":[{"kind":"joint_positions","names":["hinge"],"size":1}],"action_offset":[0],"action_scale":[0.5],"commands":[]}""",
            json);
        Assert.Null(PolicyContract.FromJson(json).ActionMaxChangePerSecond);
    }

    [Fact]
    public void The_trained_rate_limit_survives_the_round_trip_and_changes_the_hash()
    {
        var limited = Contract() with { ActionMaxChangePerSecond = 10 };

        var read = PolicyContract.FromJson(limited.ToJson());

        Assert.Equal(10, read.ActionMaxChangePerSecond);
        Assert.EndsWith(""","action_max_change_per_second":10}""", limited.ToJson());
        Assert.Equal(limited.Hash, read.Hash);
        Assert.NotEqual(Contract().Hash, limited.Hash);
    }
}
