using NetMQ;
using NetMQ.Sockets;
using Robotics.SimBridge.Client;
using Robotics.SimBridge.Protocol;

namespace Robotics.SimBridge.Tests.Client;

/// <summary>
/// A bridge's frames are bounded on the client as the client's are on the bridge: a frame longer than
/// <see cref="BridgeClientOptions.MaxReplyBytes"/> is dropped by ZeroMQ against its length header, before the client
/// allocates it, and the client reports the bridge as not answering.
/// </summary>
public sealed class OversizedReplyTests
{
    private static readonly BridgeClientOptions Bounded = new() { Timeout = TimeSpan.FromSeconds(1.5), MaxReplyBytes = 4096 };

    [Fact]
    public void A_reply_within_the_bound_is_read()
    {
        using var bridge = new HelloBridge(bridgeNameLength: 1000);

        using var client = BridgeClient.Connect(bridge.Endpoint, Bounded);

        Assert.Equal(1000, client.Hello().Bridge.Length);
    }

    [Fact]
    public void A_reply_past_the_bound_is_never_taken()
    {
        using var bridge = new HelloBridge(bridgeNameLength: 64 * 1024);

        var error = Assert.Throws<BridgeException>(() => BridgeClient.Connect(bridge.Endpoint, Bounded));

        Assert.True(error.TimedOut);
        Assert.Contains("did not answer Hello", error.Message);
        Assert.True(bridge.Answered > 0, "the fake bridge never answered, so the test proves nothing");
    }

    /// <summary>A ROUTER that answers every Hello with a HelloReply whose bridge name is as long as asked.</summary>
    private sealed class HelloBridge : IDisposable
    {
        private readonly RouterSocket router = new();
        private readonly NetMQPoller poller;
        private readonly string name;
        private int answered;

        public HelloBridge(int bridgeNameLength)
        {
            name = new string('b', bridgeNameLength);
            router.Options.Linger = TimeSpan.Zero;
            int port = router.BindRandomPort("tcp://127.0.0.1");
            Endpoint = $"tcp://127.0.0.1:{port}";
            router.ReceiveReady += (_, _) => Answer();
            poller = [router];
            poller.RunAsync();
        }

        public string Endpoint { get; }

        public int Answered => Volatile.Read(ref answered);

        private void Answer()
        {
            var parts = router.ReceiveMultipartBytes();
            if (parts.Count != 2 || !BridgeFrameHeader.TryRead(parts[1], out var header, out _) || header.Type != BridgeMessageType.Hello)
            {
                return;
            }

            var reply = new FrameBuffer().Write(BridgeMessageType.HelloReply, header.RequestId, new HelloReply { Bridge = name }).ToArray();
            router.SendMoreFrame(parts[0]).SendFrame(reply);
            Interlocked.Increment(ref answered);
        }

        public void Dispose()
        {
            poller.Dispose();
            router.Dispose();
        }
    }
}
