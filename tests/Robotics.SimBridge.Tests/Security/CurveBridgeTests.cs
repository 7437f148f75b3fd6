using NetMQ;
using NetMQ.Sockets;
using Robotics.Contract.Environments;
using Robotics.SimBridge.Client;
using Robotics.SimBridge.Hosting;
using Robotics.SimBridge.Protocol;
using Robotics.SimBridge.Security;
using Robotics.SimBridge.Server;
using Robotics.SimBridge.Tests.Fakes;

namespace Robotics.SimBridge.Tests.Security;

/// <summary>A bridge with keys over real TCP sockets: CURVE on the wire, the allow list in Hello.</summary>
[Collection(BridgeCollection.Name)]
public sealed class CurveBridgeTests : IDisposable
{
    private static readonly CurveKeyPair Stranger = CurveKeyPair.FromSecretKey(Enumerable.Repeat((byte)42, 32).ToArray());
    private static readonly MakeRequest Toy = new() { Task = "toy", NumEnvs = 3, Randomize = false };
    private static readonly TimeSpan Silence = TimeSpan.FromMilliseconds(700);

    private readonly LocalBridge bridge = LocalBridge.StartInProcess(
        new ToyEnvFactory(), new BridgeServerOptions { Keys = new CurveServerKeys(KnownKeys.Bridge, [KnownKeys.Client.PublicKey]) });

    [Fact]
    public void A_client_with_the_right_keys_steps_exactly_as_in_process()
    {
        using var remote = BridgeClient.Open(bridge.Endpoint, Toy, Options(KnownKeys.Client));
        using var local = new ToyVectorEnv(3);
        var remoteStep = new VectorStep(3, remote.Spec.ObservationSize);
        var localStep = new VectorStep(3, local.Spec.ObservationSize);
        remote.Reset(5, remoteStep);
        local.Reset(5, localStep);
        var actions = new float[3 * remote.Spec.ActionSize];
        for (int t = 0; t < 20; t++)
        {
            for (int i = 0; i < actions.Length; i++)
            {
                actions[i] = (float)Math.Sin(t + i);
            }

            remote.Step(actions, remoteStep);
            local.Step(actions, localStep);
            StepAssert.Same(localStep, remoteStep);
        }

        Assert.Equal(1, remote.GetStats().Sessions);
    }

    [Fact]
    public void A_client_without_keys_gets_no_reply_and_no_session_and_others_are_still_served()
    {
        using var plain = new RawSocket(bridge.Endpoint, keys: null);

        plain.Send(BridgeMessageType.Hello, new HelloRequest { Client = "no keys" });
        plain.Send(BridgeMessageType.Make, Toy);

        Assert.False(plain.TryReceive(Silence), "a bridge with keys must not answer a client that does not speak CURVE");
        using var allowed = BridgeClient.Open(bridge.Endpoint, Toy, Options(KnownKeys.Client));
        Assert.Equal(1, allowed.GetStats().Sessions);
    }

    [Fact]
    public void A_client_with_a_wrong_bridge_key_gets_no_reply()
    {
        var wrongBridge = new CurveClientKeys(Stranger.PublicKey, KnownKeys.Client);
        using var lost = new RawSocket(bridge.Endpoint, wrongBridge);

        lost.Send(BridgeMessageType.Hello, new HelloRequest { Client = "wrong bridge key" });

        Assert.False(lost.TryReceive(Silence), "the CURVE handshake must fail when the client names another bridge's key");
        var error = Assert.Throws<BridgeException>(() => BridgeClient.Connect(bridge.Endpoint, Options(KnownKeys.Client) with
        {
            Keys = wrongBridge,
            Timeout = Silence,
        }));
        Assert.True(error.TimedOut);
        Assert.Contains("when --bridge-key is not its public key", error.Message);
    }

    [Fact]
    public void A_client_whose_key_is_not_allowed_is_refused_with_a_clear_error()
    {
        var error = Assert.Throws<BridgeException>(() => BridgeClient.Open(bridge.Endpoint, Toy, Options(Stranger)));

        Assert.Equal(BridgeErrorCode.Unauthorized, error.Code);
        Assert.Equal($"bridge {bridge.Endpoint} refused Hello: client key {Stranger.PublicKeyZ85} is not allowed on this bridge; " +
                     "add it (the client's .pub line) to the bridge's --allow-clients file (Unauthorized)", error.Message);
        using var allowed = BridgeClient.Open(bridge.Endpoint, Toy, Options(KnownKeys.Client));
        Assert.Equal(1, allowed.GetStats().Sessions);
    }

    [Fact]
    public void A_CURVE_client_that_skips_Hello_is_refused_and_makes_no_session()
    {
        using var rude = new RawSocket(bridge.Endpoint, new CurveClientKeys(KnownKeys.Bridge.PublicKey, Stranger));

        rude.Send(BridgeMessageType.Make, Toy);

        Assert.True(rude.TryReceive(TimeSpan.FromSeconds(5), out var reply));
        Assert.Equal(BridgeErrorCode.Unauthorized, reply!.Error);
        using var allowed = BridgeClient.Open(bridge.Endpoint, Toy, Options(KnownKeys.Client));
        Assert.Equal(1, allowed.GetStats().Sessions);
    }

    private static BridgeClientOptions Options(CurveKeyPair client) => new()
    {
        Timeout = TimeSpan.FromSeconds(5),
        Keys = new CurveClientKeys(KnownKeys.Bridge.PublicKey, client),
    };

    public void Dispose() => bridge.Dispose();

    /// <summary>A DEALER that sends requests and waits for any reply, with or without CURVE.</summary>
    private sealed class RawSocket : IDisposable
    {
        private readonly DealerSocket dealer = new();

        public RawSocket(string endpoint, CurveClientKeys? keys)
        {
            dealer.Options.Linger = TimeSpan.Zero;
            if (keys is not null)
            {
                dealer.Options.CurveServerKey = keys.BridgePublicKey;
                dealer.Options.CurveCertificate = new NetMQCertificate(keys.Client.SecretKey, keys.Client.PublicKey);
            }

            dealer.Connect(endpoint);
        }

        public void Send<T>(BridgeMessageType type, T body) =>
            Assert.True(dealer.TrySendFrame(TimeSpan.FromSeconds(5), new FrameBuffer().Write(type, 1, body).ToArray()));

        public bool TryReceive(TimeSpan wait) => TryReceive(wait, out _);

        public bool TryReceive(TimeSpan wait, out RawDealer.Reply? reply)
        {
            reply = null;
            if (!dealer.TryReceiveFrameBytes(wait, out var frame))
            {
                return false;
            }

            Assert.True(BridgeFrameHeader.TryRead(frame, out var header, out var problem), problem);
            reply = new RawDealer.Reply(header, frame![BridgeFrameHeader.Size..]);
            return true;
        }

        public void Dispose() => dealer.Dispose();
    }
}
