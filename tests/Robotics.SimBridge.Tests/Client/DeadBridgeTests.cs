using System.Net;
using System.Net.Sockets;
using Robotics.Contract.Environments;
using Robotics.SimBridge.Client;
using Robotics.SimBridge.Hosting;
using Robotics.SimBridge.Protocol;
using Robotics.SimBridge.Server;
using Robotics.SimBridge.Tests.Fakes;

namespace Robotics.SimBridge.Tests.Client;

[Collection(BridgeCollection.Name)]
public sealed class DeadBridgeTests
{
    // Short enough to keep these tests quick, long enough that the requests a live bridge answers (Reset, Stats) are
    // not timed out on a loaded machine: at 300 ms they were. Every timeout asserted here is one where no answer can
    // come at all, so its length changes how long the test waits, never whether it passes.
    private static readonly BridgeClientOptions Short = new() { Timeout = TimeSpan.FromSeconds(1.5) };

    [Fact]
    public void Endpoint_nobody_listens_on_gives_a_timeout_that_says_what_to_do()
    {
        string endpoint = $"tcp://127.0.0.1:{UnusedPort()}";

        var error = Assert.Throws<BridgeException>(() => BridgeClient.Connect(endpoint, Short));

        Assert.True(error.TimedOut);
        Assert.Equal(endpoint, error.Endpoint);
        Assert.Contains($"bridge {endpoint} did not answer Hello within 1.5 s: is it running?", error.Message);
    }

    [Fact]
    public void Stopped_bridge_gives_a_timeout_on_the_next_step()
    {
        using var bridge = LocalBridge.StartInProcess(new ToyEnvFactory());
        using var client = OpenWithShortTimeouts(bridge.Endpoint);
        var step = new VectorStep(2, 3);
        client.Reset(0, step);

        bridge.Dispose();

        var error = Assert.Throws<BridgeException>(() => client.Step(new float[4], step));
        Assert.True(error.TimedOut);
        Assert.Contains("did not answer Step", error.Message);
    }

    [Fact]
    public void Client_drops_a_late_reply_and_matches_the_next_one()
    {
        var factory = new SlowOnceFactory();
        using var bridge = LocalBridge.StartInProcess(factory);
        using var client = OpenWithShortTimeouts(bridge.Endpoint);
        var step = new VectorStep(2, 3);
        client.Reset(0, step);

        factory.Gate.Reset();
        Assert.True(Assert.Throws<BridgeException>(() => client.Step(new float[4], step)).TimedOut);
        factory.Gate.Set();

        // The late StepReply arrives while this request waits; it must not be taken for the stats reply.
        var stats = client.GetStats();
        Assert.Equal(1, stats.BatchSteps);
    }

    // A bridge just started in this process may need longer than the short timeout to answer its first Hello
    // (the first request JIT-compiles the server); wait for it with the default timeout, then open the client
    // under test with the short one.
    private static BridgeClient OpenWithShortTimeouts(string endpoint)
    {
        using (BridgeClient.Connect(endpoint))
        {
        }

        return BridgeClient.Open(endpoint, new MakeRequest { Task = "toy", NumEnvs = 2 }, Short);
    }

    private static int UnusedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>A toy env whose step waits for <see cref="Gate"/>, to play a bridge that is too slow.</summary>
    private sealed class SlowOnceFactory : IBridgeEnvFactory
    {
        private readonly ToyEnvFactory toys = new();
        public ManualResetEventSlim Gate { get; } = new(initialState: true);
        public int Threads => 1;

        public IHostedEnv Create(MakeRequest request, int numEnvs) => new Slow(toys.Create(request, numEnvs), this);

        private sealed class Slow(IHostedEnv inner, SlowOnceFactory owner) : IHostedEnv, IVectorEnv
        {
            public IVectorEnv Env => this;
            public IRandomizationControl? Randomization => null;
            public EnvSpec Spec => inner.Env.Spec;
            public void Reset(int seed, VectorStep into) => inner.Env.Reset(seed, into);

            public void Step(ReadOnlySpan<float> actions, VectorStep into)
            {
                owner.Gate.Wait(TimeSpan.FromSeconds(10));
                inner.Env.Step(actions, into);
            }

            public void Dispose() => inner.Dispose();
        }
    }
}
