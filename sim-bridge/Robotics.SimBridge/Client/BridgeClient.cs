using System.Diagnostics;
using System.Security.Cryptography;
using MessagePack;
using NetMQ;
using NetMQ.Sockets;
using Robotics.Contract;
using Robotics.Contract.Environments;
using Robotics.SimBridge.Protocol;
using Robotics.SimBridge.Security;
using Robotics.SimBridge.Tracing;

namespace Robotics.SimBridge.Client;

/// <summary>
/// A batch of environments on a bridge, used like an in-process <see cref="IVectorEnv"/>. One DEALER socket,
/// used by one thread at a time. Every wait is bounded by <see cref="BridgeClientOptions.Timeout"/>; a bridge
/// that does not answer gives a <see cref="BridgeException"/>, never a hang.
/// </summary>
public sealed class BridgeClient : IVectorEnv
{
    private readonly DealerSocket dealer;
    private readonly BridgeClientOptions options;
    private readonly FrameBuffer request = new();
    private Msg incoming;
    private uint nextRequestId;
    private uint pendingStep;
    private long stepSentAt;
    private long waitingSince; // traced: when the trainer began waiting for the step in flight, among other groups' (0: not yet)
    private uint pendingReset;
    private EnvSpec? spec;
    private bool disposed;
    private byte[]? identity;

    private BridgeClient(string endpoint, BridgeClientOptions options)
    {
        Endpoint = endpoint;
        this.options = options;
        dealer = new DealerSocket();
        dealer.Options.Linger = TimeSpan.Zero;
        dealer.Options.MaxMsgSize = options.MaxReplyBytes; // before Connect: it bounds the connection's decoder
        if (options.Keys is not null || StepTrace.Enabled)
        {
            // Its own identity under CURVE (tied to the Hello's proof) and when tracing (the key joining both ends' rows).
            identity = NewIdentity();
            dealer.Options.Identity = identity;
        }

        if (options.Keys is { } keys)
        {
            dealer.Options.CurveServerKey = keys.BridgePublicKey;
            dealer.Options.CurveCertificate = new NetMQCertificate(keys.Client.SecretKey, keys.Client.PublicKey);
        }

        try
        {
            dealer.Connect(endpoint);
        }
        catch (Exception e) when (e is NetMQException or ArgumentException)
        {
            dealer.Dispose();
            throw new BridgeException($"cannot connect to bridge {endpoint}: {e.Message}. Endpoints look like tcp://HOST:PORT or ipc://PATH.", e)
            {
                Endpoint = endpoint,
            };
        }

        incoming.InitEmpty();
    }

    public string Endpoint { get; }

    public EnvSpec Spec => spec ?? throw new InvalidOperationException($"no environments on bridge {Endpoint} yet: call Make first");

    /// <summary>The request that made the current batch; null before Make.</summary>
    public MakeRequest? MadeWith { get; private set; }

    /// <summary>Connects and checks that the bridge answers and speaks this protocol version.</summary>
    public static BridgeClient Connect(string endpoint, BridgeClientOptions? options = null)
    {
        var client = new BridgeClient(endpoint, options ?? new BridgeClientOptions());
        try
        {
            client.Hello();
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Connects and makes a batch of environments.</summary>
    public static BridgeClient Open(string endpoint, MakeRequest make, BridgeClientOptions? options = null)
    {
        var client = Connect(endpoint, options);
        try
        {
            client.Make(make);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    public HelloReply Hello()
    {
        var hello = new HelloRequest { Client = options.ClientName };
        if (options.Keys is { } keys)
        {
            hello.ClientKey = keys.Client.PublicKey;
            hello.Proof = HelloProof.Create(keys.Client, keys.BridgePublicKey, identity!, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        }

        uint id = Send(BridgeMessageType.Hello, hello);
        var reply = Deserialize<HelloReply>(Receive(BridgeMessageType.HelloReply, id, Deadline(options.Timeout)));
        if (reply.ProtocolVersion != BridgeProtocol.Version)
        {
            throw new BridgeException(
                $"bridge {Endpoint} speaks sim-bridge protocol {reply.ProtocolVersion}, this client {BridgeProtocol.Version}; use matching versions")
            {
                Endpoint = Endpoint,
                Code = BridgeErrorCode.ProtocolVersionMismatch,
            };
        }

        return reply;
    }

    /// <summary>Makes (or replaces) this client's batch of environments on the bridge.</summary>
    public EnvSpec Make(MakeRequest make)
    {
        uint id = Send(BridgeMessageType.Make, make);
        var reply = Deserialize<SpecReply>(Receive(BridgeMessageType.SpecReply, id, Deadline(options.MakeTimeout)));
        spec = SpecReplyCheck.ToSpec(reply, make, Endpoint, options.MaxReplyBytes);
        MadeWith = make;
        return spec;
    }

    public void Reset(int seed, VectorStep into)
    {
        SendReset(seed);
        ReceiveReset(into, 0, Deadline(options.Timeout));
    }

    public void Step(ReadOnlySpan<float> actions, VectorStep into)
    {
        into.Episodes.Clear();
        into.PhysicsResets = 0;
        SendStep(actions);
        ReceiveStep(into, 0, Deadline(options.Timeout));
    }

    /// <summary>Replaces the randomization ranges (YAML of a task's "randomization:" mapping); returns the ranges now in force.</summary>
    public string SetRandomization(string yaml)
    {
        uint id = Send(BridgeMessageType.SetRandomization, new SetRandomizationRequest { Yaml = yaml });
        return Deserialize<SetRandomizationReply>(Receive(BridgeMessageType.SetRandomizationReply, id, Deadline(options.Timeout))).Yaml;
    }

    /// <summary>The randomization ranges and each environment's sampled values for its current episode.</summary>
    public RandomizationReply GetRandomization()
    {
        uint id = Send(BridgeMessageType.GetRandomization, new GetRandomizationRequest());
        return Deserialize<RandomizationReply>(Receive(BridgeMessageType.RandomizationReply, id, Deadline(options.Timeout)));
    }

    public StatsReply GetStats()
    {
        uint id = Send(BridgeMessageType.GetStats, new GetStatsRequest());
        return Deserialize<StatsReply>(Receive(BridgeMessageType.StatsReply, id, Deadline(options.Timeout)));
    }

    /// <summary>Frees the batch on the bridge; the client can Make again afterwards.</summary>
    public void Close() => Close(options.Timeout);

    internal static long Deadline(TimeSpan timeout) => Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);

    internal TimeSpan Timeout => options.Timeout;

    /// <summary>The socket the replies come in on, for waiting on several clients at once (<see cref="MultiBridgeVectorEnv.WaitForAny"/>).</summary>
    internal DealerSocket Socket => dealer;

    /// <summary>A reply is waiting to be read (normally the one to the step in flight): receiving it would not wait.</summary>
    internal bool ReplyWaiting => !disposed && dealer.HasIn;

    /// <summary>
    /// For the step trace: the trainer begins waiting for this step's reply among other groups' (see
    /// <see cref="MultiBridgeVectorEnv.WaitForAny"/>); the receive then counts its wait from the first such moment.
    /// </summary>
    internal void WaitingFrom(long timestamp)
    {
        if (waitingSince == 0) waitingSince = timestamp;
    }

    /// <summary>The error of a step whose reply did not come within the timeout.</summary>
    internal BridgeException StepNotAnswered() => NotAnswering(BridgeMessageType.StepReply, "did not answer");

    internal void SendReset(int seed)
    {
        _ = Spec;
        pendingReset = Send(BridgeMessageType.Reset, new ResetRequest { Seed = seed });
    }

    internal void ReceiveReset(VectorStep into, int envOffset, long deadline)
    {
        var body = Receive(BridgeMessageType.ResetReply, pendingReset, deadline);
        try
        {
            StepCodec.ReadResetReply(body, into, envOffset, Spec.NumEnvs);
        }
        catch (Exception e) when (e is MessagePackSerializationException or EndOfStreamException)
        {
            throw Malformed("ResetReply", e);
        }
    }

    internal void SendStep(ReadOnlySpan<float> actions)
    {
        // The size is checked here, before anything is sent; the values by the bridge, which refuses a NaN or an
        // infinity with ActionBatch's message as a NonFiniteActions reply (a BridgeException here).
        ActionBatch.CheckSize(Spec, actions);
        uint id = NextRequestId();
        var writer = request.Begin(BridgeMessageType.Step, id);
        StepCodec.WriteStepRequest(ref writer, actions);
        writer.Flush();
        SendFrame(request.Written, BridgeMessageType.Step);
        pendingStep = id;
        if (StepTrace.Enabled) stepSentAt = StepTrace.Now();
    }

    /// <summary>Reads the step reply into rows [envOffset, envOffset + NumEnvs); appends episodes and adds physics resets.</summary>
    internal void ReceiveStep(VectorStep into, int envOffset, long deadline)
    {
        long waitFrom = StepTrace.Enabled ? (waitingSince != 0 ? waitingSince : StepTrace.Now()) : 0;
        waitingSince = 0;
        var body = Receive(BridgeMessageType.StepReply, pendingStep, deadline);
        if (StepTrace.Enabled && identity is not null) StepTrace.Client(identity, pendingStep, stepSentAt, waitFrom, StepTrace.Now());
        try
        {
            StepCodec.ReadStepReply(body, into, envOffset, Spec.NumEnvs);
        }
        catch (Exception e) when (e is MessagePackSerializationException or EndOfStreamException)
        {
            throw Malformed("StepReply", e);
        }
    }

    private void Close(TimeSpan timeout)
    {
        if (spec is null)
        {
            return;
        }

        uint id = Send(BridgeMessageType.Close, new CloseRequest());
        spec = null;
        Receive(BridgeMessageType.CloseReply, id, Deadline(timeout));
    }

    private uint Send<T>(BridgeMessageType type, T body)
    {
        uint id = NextRequestId();
        SendFrame(request.Write(type, id, body), type);
        return id;
    }

    /// <summary>Counts up from 1 and skips 0 when it wraps: id 0 is the bridge's answer to a frame too short to carry an id.</summary>
    private uint NextRequestId()
    {
        if (++nextRequestId == 0)
        {
            nextRequestId = 1;
        }

        return nextRequestId;
    }

    private void SendFrame(ReadOnlySpan<byte> frame, BridgeMessageType type)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var msg = new Msg();
        msg.InitPool(frame.Length);
        frame.CopyTo(msg.Slice());
        // A DEALER blocks on send only when its queue is full; bounded so a stuck bridge cannot hang the caller.
        bool sent = dealer.TrySend(ref msg, options.Timeout, false);
        msg.Close();
        if (!sent)
        {
            throw NotAnswering(type, "could not take the request");
        }
    }

    /// <summary>Waits for the reply to request <paramref name="id"/>, dropping late replies to requests given up on.</summary>
    private ReadOnlyMemory<byte> Receive(BridgeMessageType expected, uint id, long deadline)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        while (true)
        {
            long remaining = deadline - Stopwatch.GetTimestamp();
            if (remaining <= 0 || !dealer.TryReceive(ref incoming, TimeSpan.FromSeconds(remaining / (double)Stopwatch.Frequency)))
            {
                throw NotAnswering(expected, "did not answer");
            }

            var frame = incoming.SliceAsMemory();
            if (incoming.HasMore || !BridgeFrameHeader.TryRead(frame.Span, out var header, out _) || header.RequestId != id)
            {
                continue;
            }

            var body = frame[BridgeFrameHeader.Size..];
            if (header.Type == BridgeMessageType.Error)
            {
                var error = Deserialize<ErrorReply>(body);
                throw new BridgeException($"bridge {Endpoint} refused {RequestName(expected)}: {error.Message} ({(BridgeErrorCode)error.Code})")
                {
                    Endpoint = Endpoint,
                    Code = (BridgeErrorCode)error.Code,
                };
            }

            if (header.Type != expected)
            {
                throw new BridgeException($"bridge {Endpoint} answered {RequestName(expected)} with {header.Type}, expected {expected}")
                {
                    Endpoint = Endpoint,
                };
            }

            return body;
        }
    }

    private BridgeException NotAnswering(BridgeMessageType type, string what) =>
        new($"bridge {Endpoint} {what} {RequestName(type)} within {FormatSeconds(type == BridgeMessageType.SpecReply ? options.MakeTimeout : options.Timeout)}: " +
            $"is it running? Start one with `robotics sim-bridge --bind {Endpoint}`, or raise the client timeout if it is only slow." +
            (options.Keys is null
                ? " A bridge with keys stays silent to a client without them (--bridge-key, --client-key)."
                : " A bridge stays silent to a client with keys when it has none, or when --bridge-key is not its public key."))
        {
            Endpoint = Endpoint,
            TimedOut = true,
        };

    private T Deserialize<T>(ReadOnlyMemory<byte> body)
    {
        try
        {
            return MessagePackSerializer.Deserialize<T>(body, BridgeProtocol.Options);
        }
        catch (Exception e) when (e is MessagePackSerializationException or EndOfStreamException)
        {
            throw Malformed(typeof(T).Name, e);
        }
    }

    private BridgeException Malformed(string what, Exception e) =>
        new($"bridge {Endpoint} sent a malformed {what}: {e.Message}", e) { Endpoint = Endpoint };

    /// <summary>A random routing identity: it is what ties requests to the authenticated Hello, so nobody may guess it.</summary>
    private static byte[] NewIdentity()
    {
        var id = RandomNumberGenerator.GetBytes(HelloProof.MinIdentityLength);
        id[0] |= 0x80; // identities starting with a zero byte are ZeroMQ's own
        return id;
    }

    private static string RequestName(BridgeMessageType type) =>
        ((BridgeMessageType)((byte)type & ~BridgeMessageTypes.ReplyBit)).ToString();

    private static string FormatSeconds(TimeSpan time) => $"{time.TotalSeconds:0.###} s";

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        try
        {
            Close(options.CloseTimeout);
        }
        catch (BridgeException)
        {
            // The bridge is gone or busy; it frees idle batches on its own.
        }

        disposed = true;
        incoming.Close();
        dealer.Dispose();
    }
}
