using Robotics.Contract.Environments;
using Robotics.SimBridge.Client;
using Robotics.SimBridge.Hosting;
using Robotics.SimBridge.Protocol;
using Robotics.SimBridge.Tests.Fakes;

namespace Robotics.SimBridge.Tests.Hosting;

[Collection(BridgeCollection.Name)]
public sealed class LocalBridgeTests
{
    [Fact]
    public void In_process_bridge_listens_on_a_free_loopback_port()
    {
        using var first = LocalBridge.StartInProcess(new ToyEnvFactory());
        using var second = LocalBridge.StartInProcess(new ToyEnvFactory());

        Assert.StartsWith("tcp://127.0.0.1:", first.Endpoint);
        Assert.NotEqual(first.Endpoint, second.Endpoint);
        Assert.Null(first.ProcessId);
        using var client = BridgeClient.Connect(second.Endpoint);
        Assert.Equal(BridgeProtocol.Version, client.Hello().ProtocolVersion);
    }

    [Fact]
    public void In_process_bridge_also_serves_an_inproc_endpoint()
    {
        using var bridge = LocalBridge.StartInProcess(new ToyEnvFactory());
        using var client = BridgeClient.Open(bridge.InProcessEndpoint!, new MakeRequest { Task = "toy", NumEnvs = 2 });
        var step = new VectorStep(2, 3);

        client.Reset(0, step);
        client.Step(new float[4], step);

        Assert.StartsWith("inproc://", bridge.InProcessEndpoint);
        Assert.Equal(1, client.GetStats().BatchSteps);
    }

    [Fact]
    public void Bridge_serves_over_ipc_too()
    {
        string endpoint = $"ipc://{Path.Combine(Path.GetTempPath(), $"robotics-bridge-test-{Environment.ProcessId}")}";
        using var bridge = LocalBridge.StartInProcess(new ToyEnvFactory(), bind: endpoint);
        using var client = BridgeClient.Open(bridge.Endpoint, new MakeRequest { Task = "toy", NumEnvs = 1 });

        var served = new VectorStep(1, 3);
        client.Reset(5, served);

        // What came over the ipc endpoint is the toy environment's own reset, computed here without a bridge. (The
        // test used to compare the endpoint the bridge reports with the one it was given, its own echo.)
        var expected = new VectorStep(1, 3);
        using (var local = new ToyVectorEnv(1)) local.Reset(5, expected);
        Assert.Equal(expected.ObservationOf(0).ToArray(), served.ObservationOf(0).ToArray());
        Assert.NotEqual(0f, served.ObservationOf(0)[0]);
        Assert.Equal(endpoint, bridge.Endpoint);
    }

    [Fact]
    public void A_bridge_stopped_early_can_be_disposed_again_at_the_end_of_its_scope()
    {
        var bridge = LocalBridge.StartInProcess(new ToyEnvFactory());

        bridge.Dispose();
        bridge.Dispose();

        Assert.Throws<BridgeException>(() => BridgeClient.Connect(bridge.Endpoint, new BridgeClientOptions { Timeout = TimeSpan.FromMilliseconds(200) }));
    }

    [Fact]
    public void Binding_an_endpoint_in_use_says_which_and_how_to_fix_it()
    {
        using var first = LocalBridge.StartInProcess(new ToyEnvFactory());

        var error = Assert.Throws<BridgeException>(() => LocalBridge.StartInProcess(new ToyEnvFactory(), bind: first.Endpoint));

        Assert.Contains($"cannot bind the sim bridge to {first.Endpoint}", error.Message);
    }

    [Fact]
    public void Child_that_prints_something_else_is_refused_and_stopped()
    {
        var error = Assert.Throws<BridgeException>(() =>
            LocalBridge.StartProcess("/bin/sh", ["-c", "echo hello; sleep 30", "sh"], startTimeout: TimeSpan.FromSeconds(10)));

        Assert.Contains("printed 'hello' where 'sim-bridge listening on ENDPOINT' was expected", error.Message);
    }

    [Fact]
    public void Child_that_exits_early_reports_its_exit_code_and_stderr()
    {
        var error = Assert.Throws<BridgeException>(() =>
            LocalBridge.StartProcess("/bin/sh", ["-c", "echo no model here >&2; exit 3", "sh"], startTimeout: TimeSpan.FromSeconds(10)));

        Assert.Contains("exited with code 3", error.Message);
        Assert.Contains("no model here", error.Message);
    }

    [Fact]
    public void Missing_program_is_named()
    {
        var error = Assert.Throws<BridgeException>(() => LocalBridge.StartProcess("/nonexistent/robotics"));
        Assert.Contains("/nonexistent/robotics", error.Message);
    }
}
