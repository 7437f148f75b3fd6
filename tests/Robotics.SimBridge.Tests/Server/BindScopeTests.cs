using Robotics.SimBridge.Server;

namespace Robotics.SimBridge.Tests.Server;

/// <summary>A bridge binds beyond loopback only when told it is insecure; this tells the two apart.</summary>
public sealed class BindScopeTests
{
    [Theory]
    [InlineData("tcp://127.0.0.1:5555")]
    [InlineData("tcp://127.0.0.1:0")]
    [InlineData("tcp://127.1.2.3:5555")]
    [InlineData("tcp://localhost:5555")]
    [InlineData("tcp://[::1]:5555")]
    [InlineData("ipc:///tmp/bridge")]
    [InlineData("inproc://bridge")]
    public void Loopback_endpoints_stay_on_this_machine(string endpoint) => Assert.True(BindScope.IsLoopbackOnly(endpoint));

    [Theory]
    [InlineData("tcp://0.0.0.0:5555")]
    [InlineData("tcp://*:5555")]
    [InlineData("tcp://192.168.1.20:5555")]
    [InlineData("tcp://[::]:5555")]
    [InlineData("tcp://bridge-host:5555")]
    [InlineData("tcp://eth0:5555")]
    public void Other_endpoints_reach_beyond_it(string endpoint) => Assert.False(BindScope.IsLoopbackOnly(endpoint));
}
