using Robotics.Contract.Environments;
using Robotics.SimBridge.Client;
using Robotics.SimBridge.Server;
using Robotics.Testing;

namespace Robotics.SimBridge.Tests;

/// <summary>
/// The layers below the simulator stay below it: the environment contract (Robotics.Contract) and the bridge's protocol
/// and client (Robotics.SimBridge) reach no MuJoCo code; only the server side (Robotics.SimBridge.Server) does.
/// </summary>
public sealed class DependencyRuleTests
{
    private const string Simulator = "Robotics.Sim";

    [Fact]
    public void The_bridge_client_and_protocol_reference_no_simulator_directly_or_transitively()
    {
        var seen = AssemblyClosure.Of(typeof(BridgeClient).Assembly);

        Assert.Contains("Robotics.Contract", seen);
        Assert.DoesNotContain(Simulator, seen);
        Assert.DoesNotContain("Robotics.SimBridge.Server", seen);
    }

    [Fact]
    public void The_environment_contract_references_no_simulator()
    {
        Assert.DoesNotContain(Simulator, AssemblyClosure.Of(typeof(IVectorEnv).Assembly));
    }

    [Fact]
    public void The_server_side_is_where_the_simulator_comes_in()
    {
        Assert.Contains(Simulator, AssemblyClosure.Of(typeof(SimEnvFactory).Assembly));
    }
}
