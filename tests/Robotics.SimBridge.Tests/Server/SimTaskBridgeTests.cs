using Robotics.Contract.Environments;
using Robotics.Sim.Environments;
using Robotics.Sim.Tasks;
using Robotics.SimBridge.Client;
using Robotics.SimBridge.Hosting;
using Robotics.SimBridge.Protocol;
using Robotics.SimBridge.Server;

namespace Robotics.SimBridge.Tests.Server;

/// <summary>The bridge serving real MuJoCo tasks from the catalog.</summary>
[Collection(BridgeCollection.Name)]
public sealed class SimTaskBridgeTests
{
    private static readonly BridgeClientOptions Patient = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Theory]
    [InlineData("cartpole-balance", 8, 600)]
    [InlineData("humanoid-bench", 3, 60)]
    public void Bridge_gives_bitwise_the_observations_of_the_in_process_env(string task, int envs, int steps)
    {
        using var bridge = LocalBridge.StartInProcess(new SimEnvFactory(threads: 2));
        using var remote = BridgeClient.Open(bridge.Endpoint, new MakeRequest { Task = task, NumEnvs = envs }, Patient);
        using var local = new SimVectorEnv(TaskCatalog.Load(task), envs, new SimVectorEnvOptions { Threads = 1 });
        var spec = local.Spec;
        var remoteStep = new VectorStep(envs, spec.ObservationSize);
        var localStep = new VectorStep(envs, spec.ObservationSize);
        Assert.Equal(spec.Contract.Hash, remote.Spec.Contract.Hash);

        remote.Reset(2024, remoteStep);
        local.Reset(2024, localStep);
        Assert.Equal(localStep.Observations, remoteStep.Observations);

        var random = new Random(5);
        var actions = new float[envs * spec.ActionSize];
        int finished = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < actions.Length; i++)
            {
                int a = i % spec.ActionSize;
                actions[i] = spec.ActionLow[a] + (float)random.NextDouble() * (spec.ActionHigh[a] - spec.ActionLow[a]);
            }

            remote.Step(actions, remoteStep);
            local.Step(actions, localStep);
            StepAssert.Same(localStep, remoteStep);

            finished += localStep.Episodes.Count;
        }

        Assert.True(finished > 0, "the run should cover automatic resets");
    }

    [Fact]
    public void Randomization_sent_over_the_bridge_is_sampled_at_the_next_reset()
    {
        using var bridge = LocalBridge.StartInProcess(new SimEnvFactory(threads: 1));
        using var client = BridgeClient.Open(bridge.Endpoint, new MakeRequest { Task = "cartpole-balance", NumEnvs = 4 }, Patient);

        string applied = client.SetRandomization("body_mass: {scale: [2, 3], bodies: [pole]}");
        client.Reset(1, new VectorStep(4, client.Spec.ObservationSize));
        var read = client.GetRandomization();

        Assert.Contains("body_mass", applied);
        Assert.Equal(applied, read.Yaml);
        Assert.Equal(4, read.Samples.Length);
        var masses = read.Samples.Select(s => s["body_mass/pole"]).ToList();
        Assert.Equal(4, masses.Distinct().Count());
        using var nominal = new SimVectorEnv(TaskCatalog.Load("cartpole-balance"), 1, new SimVectorEnvOptions { Threads = 1, Randomize = false });
        nominal.Randomization = Sim.Randomization.RandomizationConfig.ParseYaml("body_mass: {scale: [1, 1], bodies: [pole]}", "test");
        nominal.Reset(1, new VectorStep(1, client.Spec.ObservationSize));
        double nominalMass = nominal.SampleOf(0).Values["body_mass/pole"];
        Assert.All(masses, m => Assert.InRange(m, 2 * nominalMass - 1e-9, 3 * nominalMass + 1e-9));
    }

    [Fact]
    public void Actions_outside_the_limits_are_clamped_to_them()
    {
        using var bridge = LocalBridge.StartInProcess(new SimEnvFactory(threads: 1));
        using var beyond = BridgeClient.Open(bridge.Endpoint, new MakeRequest { Task = "cartpole-balance", NumEnvs = 2 }, Patient);
        using var atLimit = BridgeClient.Open(bridge.Endpoint, new MakeRequest { Task = "cartpole-balance", NumEnvs = 2 }, Patient);
        Assert.Equal([-10f, 10f], [atLimit.Spec.ActionLow[0], atLimit.Spec.ActionHigh[0]]);
        var beyondStep = new VectorStep(2, beyond.Spec.ObservationSize);
        var atLimitStep = new VectorStep(2, atLimit.Spec.ObservationSize);
        beyond.Reset(3, beyondStep);
        atLimit.Reset(3, atLimitStep);

        for (int t = 0; t < 20; t++)
        {
            beyond.Step([25f, -1e6f], beyondStep);
            atLimit.Step([10f, -10f], atLimitStep);
            StepAssert.Same(atLimitStep, beyondStep);
        }

        Assert.NotEqual(atLimitStep.Observations[0], atLimitStep.Observations[4]);
    }

    [Fact]
    public void A_batch_made_without_randomization_starts_with_none_and_takes_ranges_sent_later()
    {
        using var bridge = LocalBridge.StartInProcess(new SimEnvFactory(threads: 1));
        using var client = BridgeClient.Open(bridge.Endpoint, new MakeRequest { Task = "cartpole-balance", NumEnvs = 2, Randomize = false }, Patient);
        client.Reset(1, new VectorStep(2, client.Spec.ObservationSize));
        Assert.Equal("{}", client.GetRandomization().Yaml.Trim());

        client.SetRandomization("body_mass: {scale: [2, 3], bodies: [pole]}");
        client.Reset(1, new VectorStep(2, client.Spec.ObservationSize));

        var read = client.GetRandomization();
        Assert.Contains("body_mass", read.Yaml);
        Assert.All(read.Samples, s => Assert.True(s.ContainsKey("body_mass/pole")));
    }

    [Fact]
    public void Invalid_randomization_names_the_key()
    {
        using var bridge = LocalBridge.StartInProcess(new SimEnvFactory(threads: 1));
        using var client = BridgeClient.Open(bridge.Endpoint, new MakeRequest { Task = "cartpole-balance", NumEnvs = 1 }, Patient);

        var error = Assert.Throws<BridgeException>(() => client.SetRandomization("body_mass: {scale: [2, 1]}"));

        Assert.Equal(BridgeErrorCode.ConfigError, error.Code);
        Assert.Contains("body_mass.scale", error.Message);
    }

    [Fact]
    public void Unknown_task_names_the_known_ones()
    {
        using var bridge = LocalBridge.StartInProcess(new SimEnvFactory(threads: 1));
        using var client = BridgeClient.Connect(bridge.Endpoint, Patient);

        var error = Assert.Throws<BridgeException>(() => client.Make(new MakeRequest { Task = "no-such-task", NumEnvs = 1 }));

        Assert.Equal(BridgeErrorCode.ConfigError, error.Code);
        Assert.Contains("no-such-task", error.Message);
        Assert.Contains("cartpole-balance", error.Message);
    }
}
