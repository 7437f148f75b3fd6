using Robotics.Contract.Environments;
using Robotics.Sim.Environments;
using Robotics.Sim.Tasks;
using Robotics.SimBridge.Client;
using Robotics.SimBridge.Hosting;
using Robotics.SimBridge.Protocol;
using Robotics.SimBridge.Server;
using Robotics.SimBridge.Tests.Fakes;

namespace Robotics.SimBridge.Tests;

/// <summary>
/// Every vector refuses the same bad action batches with the same message, from one rule (ActionBatch): in process,
/// grouped, split, through a bridge (whose error reply carries the message), and across bridges.
/// </summary>
[Collection(BridgeCollection.Name)]
public sealed class OneActionCheckTests
{
    private const int Envs = 3;
    private static readonly BridgeClientOptions Patient = new() { Timeout = TimeSpan.FromSeconds(30) };

    public static TheoryData<string, int, int> BadBatches => new()
    {
        { "too few", Envs * 2 - 1, -1 },
        { "too many", Envs * 2 + 1, -1 },
        { "empty", 0, -1 },
        { "NaN in the last environment", Envs * 2, Envs * 2 - 1 },
        { "NaN in the first", Envs * 2, 0 },
    };

    [Theory]
    [MemberData(nameof(BadBatches))]
    public void In_process_grouped_and_split_vectors_refuse_a_bad_batch_with_the_rules_message(string batch, int size, int nanAt)
    {
        _ = batch;
        var task = TaskCatalog.Load("reacher");
        var actions = Batch(size, nanAt);
        using var plain = new SimVectorEnv(task, Envs, new SimVectorEnvOptions { Threads = 1 });
        string expected = ExpectedMessage(plain.Spec, actions);
        using var grouped = GroupedVectorEnv.Create(Envs, 2, n => new SplitStepAdapter(new SimVectorEnv(task, n, new SimVectorEnvOptions { Threads = 1 })));
        using var split = new SplitStepAdapter(new SimVectorEnv(task, Envs, new SimVectorEnvOptions { Threads = 1 }));

        foreach (var vector in new IVectorEnv[] { plain, grouped, split })
        {
            var into = new VectorStep(Envs, vector.Spec.ObservationSize);
            vector.Reset(1, into);
            Assert.Equal(expected, Assert.Throws<ActionBatchException>(() => vector.Step(actions, into)).Message);
        }

        Assert.Equal(expected, Assert.Throws<ActionBatchException>(() => split.SendStep(actions)).Message);
    }

    [Theory]
    [MemberData(nameof(BadBatches))]
    public void A_bridge_refuses_a_bad_batch_with_the_rules_message_and_its_client_reports_it(string batch, int size, int nanAt)
    {
        _ = batch;
        using var bridge = LocalBridge.StartInProcess(new SimEnvFactory(threads: 1));
        using var client = BridgeClient.Open(bridge.Endpoint, new MakeRequest { Task = "reacher", NumEnvs = Envs }, Patient);
        using var raw = new RawDealer(bridge.Endpoint);
        var actions = Batch(size, nanAt);
        string expected = ExpectedMessage(client.Spec, actions);
        var into = new VectorStep(Envs, client.Spec.ObservationSize);
        client.Reset(1, into);
        raw.Request(BridgeMessageType.Make, new MakeRequest { Task = "reacher", NumEnvs = Envs });
        raw.Request(BridgeMessageType.Reset, new ResetRequest());

        var reply = raw.Request(BridgeMessageType.Step, new StepRequest { Actions = FloatBytes.ToBytes(actions) });

        Assert.Equal(expected, reply.Message);
        if (nanAt < 0)
        {
            Assert.Equal(BridgeErrorCode.BadShape, reply.Error);
            // A client checks the size before it sends, with the same rule.
            Assert.Equal(expected, Assert.Throws<ActionBatchException>(() => client.Step(actions, into)).Message);
        }
        else
        {
            Assert.Equal(BridgeErrorCode.NonFiniteActions, reply.Error);
            var refused = Assert.Throws<BridgeException>(() => client.Step(actions, into));
            Assert.Equal(BridgeErrorCode.NonFiniteActions, refused.Code);
            Assert.Contains(expected, refused.Message);
        }

        client.Step(new float[Envs * 2], into);
    }

    [Fact]
    public void A_vector_across_bridges_refuses_a_batch_of_the_wrong_size_before_cutting_it()
    {
        using var first = LocalBridge.StartInProcess(new ToyEnvFactory());
        using var second = LocalBridge.StartInProcess(new ToyEnvFactory());
        using var vector = MultiBridgeVectorEnv.OpenSplit([first.Endpoint, second.Endpoint], new MakeRequest { Task = "toy" }, Envs, Patient);
        var actions = new float[Envs * 2 + 1];

        var e = Assert.Throws<ActionBatchException>(() => vector.SendStep(actions));

        Assert.Equal(ExpectedMessage(vector.Spec, actions), e.Message);
    }

    private static float[] Batch(int size, int nanAt)
    {
        var actions = new float[size];
        if (nanAt >= 0) actions[nanAt] = float.NaN;
        return actions;
    }

    private static string ExpectedMessage(EnvSpec spec, float[] actions) =>
        Assert.Throws<ActionBatchException>(() => ActionBatch.Check(spec, actions)).Message;
}
