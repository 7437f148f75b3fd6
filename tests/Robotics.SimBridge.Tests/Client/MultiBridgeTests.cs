using Robotics.Contract;
using Robotics.Contract.Environments;
using Robotics.SimBridge.Client;
using Robotics.SimBridge.Hosting;
using Robotics.SimBridge.Protocol;
using Robotics.SimBridge.Server;
using Robotics.SimBridge.Tests.Fakes;

namespace Robotics.SimBridge.Tests.Client;

[Collection(BridgeCollection.Name)]
public sealed class MultiBridgeTests
{
    private static readonly BridgeClientOptions Quick = new() { Timeout = TimeSpan.FromSeconds(5) };

    [Fact]
    public void Two_bridges_step_as_one_vector_like_one_in_process_env()
    {
        using var first = LocalBridge.StartInProcess(new ToyEnvFactory());
        using var second = LocalBridge.StartInProcess(new ToyEnvFactory());
        using var vector = new MultiBridgeVectorEnv([
            BridgeClient.Open(first.Endpoint, new MakeRequest { Task = "toy", NumEnvs = 3 }, Quick),
            BridgeClient.Open(second.Endpoint, new MakeRequest { Task = "toy", NumEnvs = 2 }, Quick),
        ]);
        using var local = new ToyVectorEnv(5);
        var remoteStep = new VectorStep(5, 3);
        var localStep = new VectorStep(5, 3);

        Assert.Equal(5, vector.Spec.NumEnvs);
        Assert.Equal([first.Endpoint, second.Endpoint], vector.Endpoints);
        Assert.Equal(3, vector.EnvOffsetOf(1));

        vector.Reset(11, remoteStep);
        local.Reset(11, localStep);
        Assert.Equal(localStep.Observations, remoteStep.Observations);

        var random = new Random(3);
        var actions = new float[10];
        for (int t = 0; t < 20; t++)
        {
            for (int i = 0; i < actions.Length; i++)
            {
                actions[i] = (float)(random.NextDouble() - 0.5);
            }

            vector.Step(actions, remoteStep);
            local.Step(actions, localStep);
            Assert.Equal(localStep.Observations, remoteStep.Observations);
            Assert.Equal(localStep.Rewards, remoteStep.Rewards);
            Assert.Equal(localStep.Terminated, remoteStep.Terminated);
            Assert.Equal(localStep.Truncated, remoteStep.Truncated);
            EpisodeAssert.Same(localStep.Episodes.OrderBy(e => e.Env).ToList(), remoteStep.Episodes.OrderBy(e => e.Env).ToList());
        }
    }

    [Theory]
    [InlineData(10, 3, new[] { 4, 3, 3 })]
    [InlineData(64, 2, new[] { 32, 32 })]
    [InlineData(7, 7, new[] { 1, 1, 1, 1, 1, 1, 1 })]
    public void Environments_are_shared_as_evenly_as_whole_numbers_allow(int numEnvs, int bridges, int[] expected)
    {
        Assert.Equal(expected, MultiBridgeVectorEnv.Shares(numEnvs, bridges));
    }

    [Fact]
    public void Fewer_environments_than_bridges_is_refused_saying_what_to_change()
    {
        var error = Assert.Throws<ArgumentException>(() => MultiBridgeVectorEnv.Shares(2, 3));

        Assert.Equal("num_envs (2) is fewer than the 3 bridges; give at least one environment per bridge, or name fewer bridges", error.Message);
    }

    [Fact]
    public void A_dead_bridge_can_be_replaced_by_a_new_one()
    {
        using var first = LocalBridge.StartInProcess(new ToyEnvFactory());
        using var second = LocalBridge.StartInProcess(new ToyEnvFactory());
        var make = new MakeRequest { Task = "toy", NumEnvs = 2 };
        var options = new BridgeClientOptions { Timeout = TimeSpan.FromSeconds(2), CloseTimeout = TimeSpan.FromMilliseconds(50) };
        using var vector = MultiBridgeVectorEnv.Open([first.Endpoint, second.Endpoint], make, options);
        var step = new VectorStep(4, 3);
        vector.Reset(0, step);

        second.Dispose();
        var error = Assert.Throws<BridgeException>(() => vector.Step(new float[8], step));
        Assert.Equal(second.Endpoint, error.Endpoint);

        using var third = LocalBridge.StartInProcess(new ToyEnvFactory());
        int dead = vector.Endpoints.ToList().IndexOf(error.Endpoint!);
        vector.ReplaceBridge(dead, BridgeClient.Open(third.Endpoint, make, options));
        vector.ResetBridge(dead, 0, step);
        vector.Step(new float[8], step);

        Assert.Equal(third.Endpoint, vector.Endpoints[1]);
    }

    [Fact]
    public void Bridges_serving_different_tasks_cannot_be_combined()
    {
        using var first = LocalBridge.StartInProcess(new ToyEnvFactory());
        using var second = LocalBridge.StartInProcess(new OtherShapeFactory());
        var a = BridgeClient.Open(first.Endpoint, new MakeRequest { Task = "toy", NumEnvs = 1 }, Quick);
        var b = BridgeClient.Open(second.Endpoint, new MakeRequest { Task = "toy", NumEnvs = 1 }, Quick);
        try
        {
            var error = Assert.Throws<ArgumentException>(() => new MultiBridgeVectorEnv([a, b]));
            Assert.Contains("make the same task on every bridge", error.Message);
        }
        finally
        {
            a.Dispose();
            b.Dispose();
        }
    }

    private sealed class OtherShapeFactory : IBridgeEnvFactory
    {
        public int Threads => 1;

        public IHostedEnv Create(MakeRequest request, int numEnvs) => new Hosted(new ToyVectorEnv(numEnvs));

        private sealed class Hosted(ToyVectorEnv toy) : IHostedEnv, IVectorEnv
        {
            public IVectorEnv Env => this;
            public IRandomizationControl? Randomization => null;
            // Another task: one more observation, in the sizes and in the contract alike.
            public EnvSpec Spec => toy.Spec with
            {
                ObservationSize = toy.Spec.ObservationSize + 1,
                Contract = toy.Spec.Contract with { Observations = [.. toy.Spec.Contract.Observations, new ObservationTermSpec("sensor", ["extra"], 1)] },
            };
            public void Reset(int seed, VectorStep into) => throw new NotSupportedException();
            public void Step(ReadOnlySpan<float> actions, VectorStep into) => throw new NotSupportedException();
            public void Dispose() => toy.Dispose();
        }
    }
}
