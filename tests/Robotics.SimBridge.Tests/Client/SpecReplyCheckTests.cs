using Robotics.Contract;
using Robotics.SimBridge.Client;
using Robotics.SimBridge.Protocol;

namespace Robotics.SimBridge.Tests.Client;

/// <summary>A SpecReply is checked before the client sizes buffers from it: bounded, and in agreement with its contract.</summary>
public sealed class SpecReplyCheckTests
{
    private const string Endpoint = "tcp://10.0.0.9:5555";

    private static readonly PolicyContract Contract = new(
        new RobotContract("slider", [new JointSpec("x", -1, 1, 10, 5)], [new ActuatorSpec("push", "x", "effort", -5, 5)], 50, 2, false),
        "slide",
        [new ObservationTermSpec("joint_positions", ["x"], 1), new ObservationTermSpec("joint_velocities", ["x"], 1)],
        [0.0],
        [5.0]);

    private static SpecReply Valid() => new()
    {
        NumEnvs = 4, ObservationSize = 2, ActionSize = 1,
        ActionLow = FloatBytes.ToBytes([-5f]), ActionHigh = FloatBytes.ToBytes([5f]),
        ContractJson = Contract.ToJson(), ControlDt = 0.02, MaxEpisodeSteps = 100, CriticObservationSize = 3,
    };

    [Fact]
    public void A_consistent_reply_becomes_the_spec()
    {
        var spec = SpecReplyCheck.ToSpec(Valid(), new MakeRequest { Task = "slide", NumEnvs = 4 }, Endpoint);

        Assert.Equal((4, 2, 1, 3), (spec.NumEnvs, spec.ObservationSize, spec.ActionSize, spec.CriticObservationSize));
        Assert.Equal(Contract.Hash, spec.Contract.Hash);
        Assert.Equal([5f], spec.ActionHigh);
    }

    public static TheoryData<string, string> Inconsistent => new()
    {
        { "num_envs", "num_envs 5" },
        { "huge num_envs", "num_envs 1000000" },
        { "observation_size", "observation_size 3" },
        { "action limits", "action_size 1 with 8" },
        { "critic size", "critic_observation_size -1" },
        { "huge critic size", "critic_observation_size 2147483647" },
        { "control_dt", "control_dt NaN" },
        { "contract", "contract_json is not a policy contract" },
    };

    [Theory]
    [MemberData(nameof(Inconsistent))]
    public void An_inconsistent_reply_is_refused_naming_the_field(string change, string expected)
    {
        var reply = Valid();
        switch (change)
        {
            case "num_envs": reply.NumEnvs = 5; break;
            case "huge num_envs": reply.NumEnvs = 1_000_000; break;
            case "observation_size": reply.ObservationSize = 3; break;
            case "action limits": reply.ActionLow = new byte[8]; break;
            case "critic size": reply.CriticObservationSize = -1; break;
            case "huge critic size": reply.CriticObservationSize = int.MaxValue; break;
            case "control_dt": reply.ControlDt = double.NaN; break;
            case "contract": reply.ContractJson = "{\"robot\": 7}"; break;
        }

        var error = Assert.Throws<BridgeException>(() => SpecReplyCheck.ToSpec(reply, new MakeRequest { Task = "slide", NumEnvs = 4 }, Endpoint));
        Assert.Contains(expected, error.Message);
        Assert.Contains(Endpoint, error.Message);
    }

    [Fact]
    public void A_batch_whose_step_replies_could_outgrow_the_clients_bound_is_refused_with_what_to_do()
    {
        // 4 environments × (2 × (2 observations + 3 critic observations) + 1 reward) × 4 bytes = 176 bytes.
        Assert.Equal(44, SpecReplyCheck.LargestStepReplyFloats(4, 2, 3));
        SpecReplyCheck.ToSpec(Valid(), new MakeRequest { Task = "slide", NumEnvs = 4 }, Endpoint, maxReplyBytes: 176);

        var error = Assert.Throws<BridgeException>(() => SpecReplyCheck.ToSpec(Valid(), new MakeRequest { Task = "slide", NumEnvs = 4 }, Endpoint, maxReplyBytes: 175));

        Assert.Contains("a step of 4 environments with 2 observations and 3 critic observations", error.Message);
        Assert.Contains("ask for fewer environments per bridge", error.Message);
        Assert.Equal(Endpoint, error.Endpoint);
    }

    [Fact]
    public void The_default_bound_holds_the_largest_batch_of_a_wide_task()
    {
        long bytes = SpecReplyCheck.LargestStepReplyFloats(BridgeProtocol.MaxNumEnvs, 1000, 1000) * sizeof(float);

        Assert.True(bytes <= BridgeClientOptions.DefaultMaxReplyBytes, $"{bytes} bytes");
    }
}
