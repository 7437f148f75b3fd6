using MessagePack;
using NetMQ;
using NetMQ.Sockets;
using Robotics.SimBridge.Protocol;

namespace Robotics.SimBridge.Tests.Fakes;

/// <summary>A bare DEALER that sends whatever bytes a test wants and decodes the reply's header and error.</summary>
public sealed class RawDealer : IDisposable
{
    private readonly DealerSocket dealer = new();
    private uint nextId = 100;

    public RawDealer(string endpoint)
    {
        dealer.Options.Linger = TimeSpan.Zero;
        dealer.Connect(endpoint);
    }

    public sealed record Reply(BridgeFrameHeader Header, byte[] Body)
    {
        public BridgeErrorCode? Error => Header.Type == BridgeMessageType.Error ? (BridgeErrorCode)Decode<ErrorReply>().Code : null;
        public string Message => Header.Type == BridgeMessageType.Error ? Decode<ErrorReply>().Message : "";
        public T Decode<T>() => MessagePackSerializer.Deserialize<T>(Body, BridgeProtocol.Options);
    }

    public Reply Request<T>(BridgeMessageType type, T body)
    {
        var frame = new FrameBuffer().Write(type, ++nextId, body).ToArray();
        return Send(frame);
    }

    public Reply Send(byte[] frame) => SendParts([frame]);

    public Reply SendParts(byte[][] parts)
    {
        for (int i = 0; i < parts.Length; i++)
        {
            Assert.True(dealer.TrySendFrame(TimeSpan.FromSeconds(5), parts[i], more: i < parts.Length - 1), "bridge did not take the frame");
        }

        Assert.True(dealer.TryReceiveFrameBytes(TimeSpan.FromSeconds(5), out var reply), "bridge did not answer");
        Assert.True(BridgeFrameHeader.TryRead(reply, out var header, out var problem), problem);
        return new Reply(header, reply![BridgeFrameHeader.Size..]);
    }

    public void Dispose() => dealer.Dispose();
}
