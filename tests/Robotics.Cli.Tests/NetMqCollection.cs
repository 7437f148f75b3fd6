namespace Robotics.Cli.Tests;

/// <summary>
/// Test classes that open NetMQ sockets in the test process. NetMQConfig.Cleanup, which a class calls when it is done,
/// ends the shared NetMQ context under any socket another class still has open, so these classes take turns.
/// </summary>
[CollectionDefinition(Name)]
public sealed class NetMqCollection
{
    public const string Name = "NetMQ in the test process";
}
