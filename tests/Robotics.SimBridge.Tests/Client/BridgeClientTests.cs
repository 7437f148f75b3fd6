using Robotics.Contract.Environments;
using Robotics.SimBridge.Client;
using Robotics.SimBridge.Hosting;
using Robotics.SimBridge.Protocol;
using Robotics.SimBridge.Tests.Fakes;

namespace Robotics.SimBridge.Tests.Client;

[Collection(BridgeCollection.Name)]
public sealed class BridgeClientTests
{
    private static readonly BridgeClientOptions Quick = new() { Timeout = TimeSpan.FromSeconds(5) };

    [Fact]
    public void Hello_reports_protocol_version_and_defaults()
    {
        using var bridge = LocalBridge.StartInProcess(new ToyEnvFactory(), new() { DefaultNumEnvs = 7 });
        using var client = BridgeClient.Connect(bridge.Endpoint, Quick);

        var hello = client.Hello();

        Assert.Equal(BridgeProtocol.Version, hello.ProtocolVersion);
        Assert.Equal(7, hello.DefaultNumEnvs);
        Assert.Contains("sim-bridge", hello.Bridge);
    }

    [Fact]
    public void Make_returns_the_spec_of_the_env_on_the_bridge()
    {
        var factory = new ToyEnvFactory();
        using var bridge = LocalBridge.StartInProcess(factory);
        using var client = BridgeClient.Open(bridge.Endpoint, new MakeRequest { Task = "toy", NumEnvs = 4, Randomize = false }, Quick);

        var local = new ToyVectorEnv(4).Spec;
        Assert.Equal((4, local.ObservationSize, local.ActionSize, local.ControlDt, local.MaxEpisodeSteps),
            (client.Spec.NumEnvs, client.Spec.ObservationSize, client.Spec.ActionSize, client.Spec.ControlDt, client.Spec.MaxEpisodeSteps));
        Assert.Equal(local.ActionLow, client.Spec.ActionLow);
        Assert.Equal(local.ActionHigh, client.Spec.ActionHigh);
        Assert.Equal(local.Contract.Hash, client.Spec.Contract.Hash);
        Assert.False(factory.Requests[0].Randomize);
    }

    [Fact]
    public void Make_with_zero_envs_takes_the_bridge_default()
    {
        using var bridge = LocalBridge.StartInProcess(new ToyEnvFactory(), new() { DefaultNumEnvs = 5 });
        using var client = BridgeClient.Open(bridge.Endpoint, new MakeRequest { Task = "toy" }, Quick);
        Assert.Equal(5, client.Spec.NumEnvs);
    }

    [Fact]
    public void Stepping_through_the_bridge_matches_the_in_process_env_bitwise()
    {
        const int envs = 5;
        using var bridge = LocalBridge.StartInProcess(new ToyEnvFactory());
        using var remote = BridgeClient.Open(bridge.Endpoint, new MakeRequest { Task = "toy", NumEnvs = envs }, Quick);
        using var local = new ToyVectorEnv(envs);
        var remoteStep = new VectorStep(envs, 3);
        var localStep = new VectorStep(envs, 3);

        remote.Reset(42, remoteStep);
        local.Reset(42, localStep);
        Assert.Equal(localStep.Observations, remoteStep.Observations);

        var random = new Random(7);
        var actions = new float[envs * 2];
        int episodes = 0;
        for (int t = 0; t < 40; t++)
        {
            for (int i = 0; i < actions.Length; i++)
            {
                actions[i] = (float)(random.NextDouble() * 2 - 1) * (i % 2 == 0 ? 1f : 0.5f);
            }

            remote.Step(actions, remoteStep);
            local.Step(actions, localStep);
            StepAssert.Same(localStep, remoteStep);

            episodes += localStep.Episodes.Count;
        }

        Assert.True(episodes > envs, "the run should cover several automatic resets");
        var stats = remote.GetStats();
        Assert.Equal((40L, 40L * envs, (long)episodes, 1), (stats.BatchSteps, stats.EnvSteps, stats.Episodes, stats.Sessions));
    }

    [Fact]
    public void A_client_without_a_batch_sees_what_the_whole_bridge_has_stepped()
    {
        using var bridge = LocalBridge.StartInProcess(new ToyEnvFactory(), new() { MaxSessions = 5 });
        using (var first = BridgeClient.Open(bridge.Endpoint, new MakeRequest { Task = "toy", NumEnvs = 3 }, Quick))
        using (var second = BridgeClient.Open(bridge.Endpoint, new MakeRequest { Task = "toy", NumEnvs = 2 }, Quick))
        {
            var a = new VectorStep(3, 3);
            var b = new VectorStep(2, 3);
            first.Reset(1, a);
            second.Reset(2, b);
            for (int t = 0; t < 4; t++) first.Step(new float[6], a);
            for (int t = 0; t < 5; t++) second.Step(new float[4], b);
        }

        using var watcher = BridgeClient.Connect(bridge.Endpoint, Quick);
        var stats = watcher.GetStats();

        // The watcher's own counters are zero; the bridge's count both clients, also after they closed.
        Assert.Equal((0L, 4L * 3 + 5 * 2, 0, 5), (stats.EnvSteps, stats.BridgeEnvSteps, stats.Sessions, stats.MaxSessions));
        Assert.True(stats.BridgeStepSeconds > 0 && stats.BridgeStepSeconds <= stats.UptimeSeconds);
    }

    [Fact]
    public void Randomization_can_be_replaced_and_read_back()
    {
        using var bridge = LocalBridge.StartInProcess(new ToyEnvFactory());
        using var client = BridgeClient.Open(bridge.Endpoint, new MakeRequest { Task = "toy", NumEnvs = 2 }, Quick);

        Assert.Equal("start_offset: 0.5", client.SetRandomization("start_offset: 0.5"));
        var read = client.GetRandomization();

        Assert.Equal("start_offset: 0.5", read.Yaml);
        Assert.Equal(2, read.Samples.Length);
        Assert.Equal(0.5, read.Samples[1]["start_offset"]);
        Assert.Equal(1, read.Samples[1]["env"]);
    }

    [Fact]
    public void Invalid_randomization_yaml_is_refused_with_the_reason()
    {
        using var bridge = LocalBridge.StartInProcess(new ToyEnvFactory());
        using var client = BridgeClient.Open(bridge.Endpoint, new MakeRequest { Task = "toy", NumEnvs = 2 }, Quick);

        var error = Assert.Throws<BridgeException>(() => client.SetRandomization("gravity: heavy"));

        Assert.Equal(BridgeErrorCode.ConfigError, error.Code);
        Assert.Contains("start_offset", error.Message);
    }

    [Fact]
    public void Unknown_task_is_refused_with_the_factory_message()
    {
        using var bridge = LocalBridge.StartInProcess(new ToyEnvFactory());
        using var client = BridgeClient.Connect(bridge.Endpoint, Quick);

        var error = Assert.Throws<BridgeException>(() => client.Make(new MakeRequest { Task = "walker", NumEnvs = 2 }));

        Assert.Equal(BridgeErrorCode.ConfigError, error.Code);
        Assert.Contains("unknown task 'walker'", error.Message);
    }

    [Fact]
    public void Close_frees_the_envs_and_a_later_reset_is_refused()
    {
        using var bridge = LocalBridge.StartInProcess(new ToyEnvFactory());
        using var client = BridgeClient.Open(bridge.Endpoint, new MakeRequest { Task = "toy", NumEnvs = 2 }, Quick);
        using var raw = new RawDealer(bridge.Endpoint);

        client.Close();

        Assert.Equal(0, client.GetStats().Sessions);
        var reply = raw.Request(BridgeMessageType.Reset, new ResetRequest { Seed = 1 });
        Assert.Equal(BridgeErrorCode.NotMade, reply.Error!.Value);
    }

    [Fact]
    public void Client_with_another_protocol_version_is_refused()
    {
        using var bridge = LocalBridge.StartInProcess(new ToyEnvFactory());
        using var raw = new RawDealer(bridge.Endpoint);

        var reply = raw.Request(BridgeMessageType.Make, new MakeRequest { ProtocolVersion = 99, Task = "toy", NumEnvs = 1 });

        Assert.Equal(BridgeErrorCode.ProtocolVersionMismatch, reply.Error!.Value);
        Assert.Contains("99", reply.Message);
    }
}
