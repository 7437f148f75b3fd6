using NetMQ;
using NetMQ.Sockets;
using Robotics.Contract.Environments;
using Robotics.SimBridge.Client;
using Robotics.SimBridge.Hosting;
using Robotics.SimBridge.Protocol;
using Robotics.SimBridge.Server;
using Robotics.SimBridge.Tests.Fakes;

namespace Robotics.SimBridge.Tests.Server;

/// <summary>No request, however large or empty, takes the bridge down or stops it serving others.</summary>
[Collection(BridgeCollection.Name)]
public sealed class RequestBoundaryTests : IDisposable
{
    private const long MaxFrame = 64 * 1024;
    private readonly LocalBridge bridge = LocalBridge.StartInProcess(new ToyEnvFactory(), new BridgeServerOptions { MaxFrameBytes = MaxFrame });
    private readonly RawDealer raw;

    public RequestBoundaryTests()
    {
        raw = new RawDealer(bridge.Endpoint);
    }

    [Theory]
    [InlineData(BridgeMessageType.Hello)]
    [InlineData(BridgeMessageType.Make)]
    [InlineData(BridgeMessageType.Reset)]
    [InlineData(BridgeMessageType.SetRandomization)]
    public void A_nil_body_is_a_malformed_body_not_an_internal_error(BridgeMessageType type)
    {
        var frame = new byte[BridgeFrameHeader.Size + 1];
        new BridgeFrameHeader(type, 3).WriteTo(frame);
        frame[^1] = 0xc0; // MessagePack nil

        var reply = raw.Send(frame);

        Assert.Equal(BridgeErrorCode.MalformedBody, reply.Error);
        Assert.Contains("nil", reply.Message);
        Assert.DoesNotContain("   at ", reply.Message);
        AssertStillServing();
    }

    [Fact]
    public void A_frame_above_the_maximum_is_dropped_unanswered_and_others_are_still_served()
    {
        using var attacker = new DealerSocket();
        attacker.Options.Linger = TimeSpan.Zero;
        attacker.Connect(bridge.Endpoint);
        var frame = new byte[MaxFrame + 1];
        new BridgeFrameHeader(BridgeMessageType.Hello, 1).WriteTo(frame);

        for (int i = 0; i < 5; i++)
        {
            attacker.TrySendFrame(TimeSpan.FromSeconds(5), frame);
        }

        Assert.False(attacker.TryReceiveFrameBytes(TimeSpan.FromMilliseconds(500), out _), "a frame above the maximum must not be answered");
        AssertStillServing();
    }

    [Fact]
    public void A_frame_just_below_the_maximum_is_answered()
    {
        var frame = new byte[MaxFrame - 64];
        new BridgeFrameHeader(BridgeMessageType.Hello, 1).WriteTo(frame);

        var reply = raw.Send(frame);

        Assert.Equal(BridgeMessageType.Error, reply.Header.Type);
        Assert.True(reply.Message.Length < 1000, $"the error quotes {reply.Message.Length} characters");
    }

    [Fact]
    public void A_randomization_error_quotes_the_client_yaml_capped()
    {
        raw.Request(BridgeMessageType.Make, new MakeRequest { Task = "toy", NumEnvs = 1 });

        var reply = raw.Request(BridgeMessageType.SetRandomization, new SetRandomizationRequest { Yaml = "x: " + new string('y', 50_000) });

        Assert.Equal(BridgeMessageType.Error, reply.Header.Type);
        Assert.True(reply.Message.Length < 1000, $"the error quotes {reply.Message.Length} characters");
    }

    private void AssertStillServing()
    {
        using var client = BridgeClient.Open(bridge.Endpoint, new MakeRequest { Task = "toy", NumEnvs = 2 }, new BridgeClientOptions { Timeout = TimeSpan.FromSeconds(5) });
        var step = new VectorStep(2, client.Spec.ObservationSize);
        client.Reset(1, step);
        client.Step(new float[2 * client.Spec.ActionSize], step);
    }

    public void Dispose()
    {
        raw.Dispose();
        bridge.Dispose();
    }
}
