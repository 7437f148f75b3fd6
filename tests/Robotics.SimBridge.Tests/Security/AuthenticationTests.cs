using MessagePack;
using Robotics.SimBridge.Protocol;
using Robotics.SimBridge.Security;
using Robotics.SimBridge.Server;
using Robotics.SimBridge.Tests.Fakes;

namespace Robotics.SimBridge.Tests.Security;

/// <summary>The bridge's side of client authentication, through its request handler (no sockets, a fixed clock).</summary>
public sealed class AuthenticationTests : IDisposable
{
    private const long Now = 1_800_000_000;
    private static readonly byte[] Identity = Enumerable.Range(0x90, 16).Select(i => (byte)i).ToArray();
    private static readonly byte[] OtherIdentity = Enumerable.Range(0xA0, 16).Select(i => (byte)i).ToArray();
    private static readonly CurveKeyPair Stranger = CurveKeyPair.FromSecretKey(Enumerable.Repeat((byte)42, 32).ToArray());

    private readonly BridgeRequestHandler handler = new(
        new ToyEnvFactory(),
        new BridgeServerOptions { Keys = new CurveServerKeys(KnownKeys.Bridge, [KnownKeys.Client.PublicKey]) },
        () => Now);

    [Fact]
    public void An_allowed_key_with_a_fresh_proof_is_served()
    {
        Assert.Equal(BridgeMessageType.HelloReply, Send(Identity, Hello(KnownKeys.Client, Identity, Now)).Header.Type);
        Assert.Equal(BridgeMessageType.SpecReply, Send(Identity, Make()).Header.Type);
        Assert.Equal(1, handler.Sessions);
    }

    [Fact]
    public void A_key_not_on_the_allow_list_is_refused_by_name()
    {
        var reply = Send(Identity, Hello(Stranger, Identity, Now));

        Assert.Equal(BridgeErrorCode.Unauthorized, reply.Error);
        Assert.Equal($"client key {Stranger.PublicKeyZ85} is not allowed on this bridge; add it (the client's .pub line) to the bridge's --allow-clients file",
            reply.Message);
        Assert.Equal(BridgeErrorCode.Unauthorized, Send(Identity, Make()).Error);
        Assert.Equal(0, handler.Sessions);
    }

    [Fact]
    public void A_Hello_without_key_and_proof_is_refused()
    {
        var reply = Send(Identity, Frame(BridgeMessageType.Hello, new HelloRequest { Client = "plain" }));

        Assert.Equal(BridgeErrorCode.Unauthorized, reply.Error);
        Assert.Contains("this bridge serves only clients with keys", reply.Message);
    }

    [Fact]
    public void Requests_before_an_accepted_Hello_are_refused_and_make_no_session()
    {
        Assert.Equal(BridgeErrorCode.Unauthorized, Send(Identity, Make()).Error);
        Assert.Equal(BridgeErrorCode.Unauthorized, Send(Identity, Frame(BridgeMessageType.GetStats, new GetStatsRequest())).Error);
        Assert.Equal(0, handler.Sessions);
    }

    [Fact]
    public void Claiming_an_allowed_public_key_without_its_secret_key_is_refused()
    {
        // The stranger knows the allowed client's public key (it is public) but can only box with its own secret key.
        var hello = new HelloRequest
        {
            ClientKey = KnownKeys.Client.PublicKey,
            Proof = HelloProof.Create(Stranger, KnownKeys.Bridge.PublicKey, Identity, Now),
        };

        var reply = Send(Identity, Frame(BridgeMessageType.Hello, hello));

        Assert.Equal(BridgeErrorCode.Unauthorized, reply.Error);
        Assert.Contains("the proof does not open with client key", reply.Message);
    }

    [Theory]
    [InlineData(-61)]
    [InlineData(61)]
    public void A_proof_more_than_a_minute_off_the_bridge_clock_is_refused(long offset)
    {
        var reply = Send(Identity, Hello(KnownKeys.Client, Identity, Now + offset));

        Assert.Equal(BridgeErrorCode.Unauthorized, reply.Error);
        Assert.Contains($"the proof's time is {-offset} s off the bridge's clock", reply.Message);
    }

    [Fact]
    public void A_proof_within_a_minute_is_accepted()
    {
        Assert.Equal(BridgeMessageType.HelloReply, Send(Identity, Hello(KnownKeys.Client, Identity, Now - 60)).Header.Type);
    }

    [Fact]
    public void A_replayed_proof_is_refused()
    {
        var hello = Hello(KnownKeys.Client, Identity, Now);
        Assert.Equal(BridgeMessageType.HelloReply, Send(Identity, hello).Header.Type);

        var replay = Send(OtherIdentity, hello);

        Assert.Equal(BridgeErrorCode.Unauthorized, replay.Error);
        Assert.Contains("the proof was made for another routing identity", replay.Message);
        Assert.Contains("was used before", Send(Identity, hello).Message);
    }

    [Fact]
    public void Another_connection_cannot_use_the_session_of_an_authenticated_client()
    {
        Send(Identity, Hello(KnownKeys.Client, Identity, Now));
        Send(Identity, Make());
        Send(Identity, Frame(BridgeMessageType.Reset, new ResetRequest { Seed = 1 }));

        var step = new FrameBuffer().Write(BridgeMessageType.Step, 5, new StepRequest { Actions = FloatBytes.ToBytes(new float[4]) }).ToArray();
        var stolen = Send(OtherIdentity, step);

        Assert.Equal(BridgeErrorCode.Unauthorized, stolen.Error);
        Assert.Equal(BridgeMessageType.StepReply, Send(Identity, step).Header.Type);
    }

    [Fact]
    public void A_short_routing_identity_is_refused_because_it_could_be_guessed()
    {
        byte[] assigned = [0, 0, 0, 0, 1]; // what a ROUTER assigns a client that sets none: a counter
        var hello = new HelloRequest { ClientKey = KnownKeys.Client.PublicKey, Proof = Convert.FromHexString(KnownKeys.LibsodiumProofHex) };

        var reply = Send(assigned, Frame(BridgeMessageType.Hello, hello));

        Assert.Equal(BridgeErrorCode.Unauthorized, reply.Error);
        Assert.Contains("the routing identity has 5 bytes", reply.Message);
    }

    [Fact]
    public void A_client_key_of_the_wrong_length_is_refused()
    {
        var hello = new HelloRequest { ClientKey = new byte[33], Proof = new byte[HelloProof.MinLength] };
        Assert.Contains("client_key has 33 bytes", Send(Identity, Frame(BridgeMessageType.Hello, hello)).Message);
    }

    [Fact]
    public void A_bridge_without_keys_ignores_keys_in_Hello_and_serves_anyone()
    {
        using var open = new BridgeRequestHandler(new ToyEnvFactory(), new BridgeServerOptions());
        Assert.Equal(BridgeMessageType.HelloReply, Decode(open.Handle([1], Hello(Stranger, Identity, 0))).Header.Type);
        Assert.Equal(BridgeMessageType.SpecReply, Decode(open.Handle([2], Make())).Header.Type);
    }

    private static byte[] Hello(CurveKeyPair client, byte[] identity, long time) =>
        Frame(BridgeMessageType.Hello, new HelloRequest
        {
            Client = "test",
            ClientKey = client.PublicKey,
            Proof = HelloProof.Create(client, KnownKeys.Bridge.PublicKey, identity, time),
        });

    private static byte[] Make() => Frame(BridgeMessageType.Make, new MakeRequest { Task = "toy", NumEnvs = 2 });

    private static byte[] Frame<T>(BridgeMessageType type, T body) => new FrameBuffer().Write(type, 7, body).ToArray();

    private RawDealer.Reply Send(byte[] identity, byte[] frame) => Decode(handler.Handle(identity, frame));

    private static RawDealer.Reply Decode(ReadOnlySpan<byte> reply)
    {
        Assert.True(BridgeFrameHeader.TryRead(reply, out var header, out var problem), problem);
        return new RawDealer.Reply(header, reply[BridgeFrameHeader.Size..].ToArray());
    }

    public void Dispose() => handler.Dispose();
}
