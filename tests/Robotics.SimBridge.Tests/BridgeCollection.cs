using NetMQ;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Robotics.SimBridge.Tests;

/// <summary>Every test that opens sockets belongs here, so NetMQ is cleaned up once, after the last of them.</summary>
[CollectionDefinition(Name)]
public sealed class BridgeCollection : ICollectionFixture<NetMQCleanup>
{
    public const string Name = "bridge sockets";
}

public sealed class NetMQCleanup : IDisposable
{
    public void Dispose() => NetMQConfig.Cleanup(block: false);
}
