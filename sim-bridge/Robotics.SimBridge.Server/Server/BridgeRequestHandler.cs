using System.Diagnostics;
using MessagePack;
using Robotics.Contract.Environments;
using Robotics.SimBridge.Protocol;
using Robotics.SimBridge.Tasks;

namespace Robotics.SimBridge.Server;

/// <summary>
/// Turns one request frame from one client into one reply frame. Knows nothing of sockets, so the
/// protocol can be tested without them; <see cref="BridgeServer"/> owns the transport.
/// </summary>
internal sealed class BridgeRequestHandler : IDisposable
{
    private readonly IBridgeEnvFactory factory;
    private readonly BridgeServerOptions options;
    private readonly FrameBuffer reply = new();
    private readonly List<BridgeSession> sessions = new();
    private readonly long startTimestamp = Stopwatch.GetTimestamp();
    private readonly ClientAuthenticator? authenticator;
    private uint requestId;
    private long bridgeEnvSteps;
    private long bridgeStepTicks;
    private long bridgeEpisodes;

    /// <summary>When the last step that was answered started and ended (<see cref="Stopwatch"/> ticks), for <see cref="Robotics.SimBridge.Tracing.StepTrace"/>.</summary>
    public long LastStepStartTicks { get; private set; }

    public long LastStepEndTicks { get; private set; }

    /// <param name="unixSeconds">The clock that Hello proofs are checked against (tests set it); the system clock by default.</param>
    public BridgeRequestHandler(IBridgeEnvFactory factory, BridgeServerOptions options, Func<long>? unixSeconds = null)
    {
        this.factory = factory;
        this.options = options;
        authenticator = options.Keys is { } keys ? new ClientAuthenticator(keys, unixSeconds) : null;
    }

    public long Errors { get; private set; }
    public int Sessions => sessions.Count;

    /// <summary>Handles a request; the returned span stays valid until the next call.</summary>
    public ReadOnlySpan<byte> Handle(ReadOnlySpan<byte> identity, ReadOnlyMemory<byte> frame)
    {
        // Echoed whenever it can be read, even in an error about the rest of the header: 0 only for a frame shorter than it.
        requestId = BridgeFrameHeader.RequestIdOf(frame.Span) ?? 0;
        if (!BridgeFrameHeader.TryRead(frame.Span, out var header, out var problem))
        {
            return Error(BridgeErrorCode.MalformedFrame, problem + "; see docs/sim-bridge-protocol.md, \"Framing\"");
        }

        requestId = header.RequestId;
        var body = frame[BridgeFrameHeader.Size..];
        var session = Find(identity);
        if (session is not null)
        {
            session.LastUsedTimestamp = Stopwatch.GetTimestamp();
        }

        // A session exists only for a client that was authenticated, so stepping costs no further check.
        if (authenticator is not null && session is null && header.Type != BridgeMessageType.Hello && !authenticator.IsAuthenticated(identity))
        {
            return Error(BridgeErrorCode.Unauthorized,
                $"{ClientText.Cap(header.Type.ToString(), 20)} before an accepted Hello: this bridge has keys, and every client authenticates with Hello first " +
                "(docs/sim-bridge-protocol.md, \"Authentication\")");
        }

        try
        {
            return header.Type switch
            {
                BridgeMessageType.Hello => Hello(identity, Deserialize<HelloRequest>(header.Type, body)),
                BridgeMessageType.Make => Make(identity, session, Deserialize<MakeRequest>(header.Type, body)),
                BridgeMessageType.Reset => Reset(session, Deserialize<ResetRequest>(header.Type, body)),
                BridgeMessageType.Step => Step(session, body),
                BridgeMessageType.SetRandomization => SetRandomization(session, Deserialize<SetRandomizationRequest>(header.Type, body)),
                BridgeMessageType.GetRandomization => GetRandomization(session),
                BridgeMessageType.GetStats => Stats(session),
                BridgeMessageType.Close => Close(session),
                _ => Error(BridgeErrorCode.UnknownMessageType,
                    $"message type 0x{(byte)header.Type:x2} is not a request; requests are 0x01 (Hello) to 0x08 (Close)"),
            };
        }
        catch (Exception e) when (e is MessagePackSerializationException or EndOfStreamException)
        {
            return Error(BridgeErrorCode.MalformedBody,
                $"the body of {header.Type} is not valid MessagePack for its record: {ClientText.Cap(Innermost(e).Message)}");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Every input is bounded (frame size, batch size, names), so this is a bug of the bridge, not an attack:
            // answer it and keep serving the other clients.
            return Error(BridgeErrorCode.Internal, $"{header.Type} failed on the bridge: {e.GetType().Name}: {ClientText.Cap(e.Message)}");
        }
    }

    /// <summary>
    /// Refuses a request that came in several frames; <paramref name="firstPart"/> is its first frame, whose request id
    /// the error carries when it holds one. The returned span stays valid until the next call.
    /// </summary>
    public ReadOnlySpan<byte> RefuseMultipart(ReadOnlySpan<byte> firstPart)
    {
        requestId = BridgeFrameHeader.RequestIdOf(firstPart) ?? 0;
        return Error(BridgeErrorCode.MalformedFrame,
            "a request is one frame (header + MessagePack body); this one came in several parts; see docs/sim-bridge-protocol.md, \"Transport\"");
    }

    private ReadOnlySpan<byte> Hello(ReadOnlySpan<byte> identity, HelloRequest request)
    {
        if (request.ProtocolVersion != BridgeProtocol.Version)
        {
            return VersionMismatch(request.ProtocolVersion);
        }

        string client = string.IsNullOrEmpty(request.Client) ? "a client" : ClientText.Quote(request.Client);
        if (authenticator is not null)
        {
            if (authenticator.Authenticate(identity, request.ClientKey, request.Proof, out string key) is { } refused)
            {
                return Error(BridgeErrorCode.Unauthorized, refused);
            }

            client += $" with key {key}";
        }

        Log($"hello from {client}");
        return reply.Write(BridgeMessageType.HelloReply, requestId, new HelloReply
        {
            Bridge = options.BridgeName,
            DefaultNumEnvs = options.DefaultNumEnvs,
            Threads = factory.Threads,
        });
    }

    private ReadOnlySpan<byte> Make(ReadOnlySpan<byte> identity, BridgeSession? session, MakeRequest request)
    {
        if (request.ProtocolVersion != BridgeProtocol.Version)
        {
            return VersionMismatch(request.ProtocolVersion);
        }

        int numEnvs = request.NumEnvs == 0 ? options.DefaultNumEnvs : request.NumEnvs;
        if (numEnvs < 1 || numEnvs > options.MaxNumEnvs)
        {
            return Error(BridgeErrorCode.ConfigError, $"num_envs {request.NumEnvs} is outside 1..{options.MaxNumEnvs} (0 takes the bridge's default)");
        }

        if (session is null && sessions.Count >= options.MaxSessions && !DropIdleSession())
        {
            return Error(BridgeErrorCode.Busy,
                $"the bridge already serves {sessions.Count} clients (its limit); close one, or start another bridge");
        }

        IHostedEnv host;
        try
        {
            host = factory.Create(request, numEnvs);
        }
        catch (TaskRefusedException e)
        {
            return Error(BridgeErrorCode.ConfigError, e.Message);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            string task = ClientText.Quote(request.Task);
            if (options.ExplainTaskErrors)
            {
                return Error(BridgeErrorCode.ConfigError, $"cannot make task {task} with {numEnvs} environments: {ClientText.Cap(e.Message)}");
            }

            Log($"cannot make task {task} with {numEnvs} environments: {ClientText.Cap(e.Message)}");
            return Error(BridgeErrorCode.ConfigError,
                $"task {task} is offered by this bridge but could not be made with {numEnvs} environments; the bridge's log says why");
        }

        if (session is null)
        {
            session = new BridgeSession(identity.ToArray(), host) { LastUsedTimestamp = Stopwatch.GetTimestamp() };
            sessions.Add(session);
        }
        else
        {
            session.Replace(host);
        }

        Log($"made {ClientText.Quote(request.Task)} × {numEnvs} for a client ({sessions.Count} sessions)");
        var spec = host.Env.Spec;
        return reply.Write(BridgeMessageType.SpecReply, requestId, new SpecReply
        {
            NumEnvs = spec.NumEnvs,
            ObservationSize = spec.ObservationSize,
            ActionSize = spec.ActionSize,
            ActionLow = FloatBytes.ToBytes(spec.ActionLow),
            ActionHigh = FloatBytes.ToBytes(spec.ActionHigh),
            ContractJson = spec.Contract.ToJson(),
            ControlDt = spec.ControlDt,
            MaxEpisodeSteps = spec.MaxEpisodeSteps,
            CriticObservationSize = spec.CriticObservationSize,
        });
    }

    private ReadOnlySpan<byte> Reset(BridgeSession? session, ResetRequest request)
    {
        if (session is null)
        {
            return NotMade(BridgeMessageType.Reset);
        }

        session.Host.Env.Reset(request.Seed, session.Step);
        session.IsReset = true;
        var writer = reply.Begin(BridgeMessageType.ResetReply, requestId);
        StepCodec.WriteResetReply(ref writer, session.Step);
        writer.Flush();
        return reply.Written;
    }

    private ReadOnlySpan<byte> Step(BridgeSession? session, ReadOnlyMemory<byte> body)
    {
        if (session is null)
        {
            return NotMade(BridgeMessageType.Step);
        }

        var actionBytes = StepCodec.ReadStepRequest(body).Span;
        var spec = session.Spec;
        // The bytes must be whole float32 values before they can be read as a batch, and a batch of the wrong size is
        // BadShape even before Reset; the values are checked where the batch enters the vector, by the same rule.
        try
        {
            ActionBatch.CheckByteSize(spec, actionBytes.Length);
        }
        catch (ActionBatchException e)
        {
            return Error(BridgeErrorCode.BadShape, e.Message);
        }

        if (!session.IsReset)
        {
            return Error(BridgeErrorCode.NotReset, "Step before Reset: send Reset(seed) once after Make");
        }

        long start = Stopwatch.GetTimestamp();
        try
        {
            session.Host.Env.Step(FloatBytes.View(actionBytes), session.Step);
        }
        catch (ActionBatchException e)
        {
            return Error(e.Fault == ActionBatchFault.WrongSize ? BridgeErrorCode.BadShape : BridgeErrorCode.NonFiniteActions, e.Message);
        }

        long end = Stopwatch.GetTimestamp();
        long ticks = end - start;
        LastStepStartTicks = start;
        LastStepEndTicks = end;
        session.StepTicks += ticks;
        bridgeStepTicks += ticks;
        bridgeEnvSteps += spec.NumEnvs;
        bridgeEpisodes += session.Step.Episodes.Count;
        session.BatchSteps++;
        session.EnvSteps += spec.NumEnvs;
        session.Episodes += session.Step.Episodes.Count;
        session.PhysicsResets += session.Step.PhysicsResets;

        var writer = reply.Begin(BridgeMessageType.StepReply, requestId);
        StepCodec.WriteStepReply(ref writer, session.Step);
        writer.Flush();
        return reply.Written;
    }

    private ReadOnlySpan<byte> SetRandomization(BridgeSession? session, SetRandomizationRequest request)
    {
        if (session is null)
        {
            return NotMade(BridgeMessageType.SetRandomization);
        }

        if (session.Host.Randomization is not { } control)
        {
            return NoRandomization();
        }

        try
        {
            control.Apply(request.Yaml);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Error(BridgeErrorCode.ConfigError, $"randomization YAML rejected: {ClientText.Cap(e.Message)}");
        }

        return reply.Write(BridgeMessageType.SetRandomizationReply, requestId, new SetRandomizationReply { Yaml = control.CurrentYaml() });
    }

    private ReadOnlySpan<byte> GetRandomization(BridgeSession? session)
    {
        if (session is null)
        {
            return NotMade(BridgeMessageType.GetRandomization);
        }

        if (session.Host.Randomization is not { } control)
        {
            return NoRandomization();
        }

        var samples = new Dictionary<string, double>[session.Spec.NumEnvs];
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = new Dictionary<string, double>(control.SampleOf(i));
        }

        return reply.Write(BridgeMessageType.RandomizationReply, requestId, new RandomizationReply { Yaml = control.CurrentYaml(), Samples = samples });
    }

    private ReadOnlySpan<byte> Stats(BridgeSession? session) =>
        reply.Write(BridgeMessageType.StatsReply, requestId, new StatsReply
        {
            BatchSteps = session?.BatchSteps ?? 0,
            EnvSteps = session?.EnvSteps ?? 0,
            Episodes = session?.Episodes ?? 0,
            PhysicsResets = session?.PhysicsResets ?? 0,
            StepSeconds = (session?.StepTicks ?? 0) / (double)Stopwatch.Frequency,
            Errors = Errors,
            UptimeSeconds = Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds,
            Sessions = sessions.Count,
            BridgeEnvSteps = bridgeEnvSteps,
            BridgeStepSeconds = bridgeStepTicks / (double)Stopwatch.Frequency,
            BridgeEpisodes = bridgeEpisodes,
            MaxSessions = options.MaxSessions,
        });

    private ReadOnlySpan<byte> Close(BridgeSession? session)
    {
        if (session is not null)
        {
            sessions.Remove(session);
            session.Dispose();
            Log($"a client closed its batch ({sessions.Count} sessions)");
        }

        return reply.Write(BridgeMessageType.CloseReply, requestId, new CloseReply());
    }

    private bool DropIdleSession()
    {
        var idlest = sessions.MinBy(s => s.LastUsedTimestamp)!;
        if (Stopwatch.GetElapsedTime(idlest.LastUsedTimestamp) < options.IdleSessionTimeout)
        {
            return false;
        }

        Log($"dropping a session idle for {Stopwatch.GetElapsedTime(idlest.LastUsedTimestamp).TotalSeconds:F0} s to serve a new client");
        sessions.Remove(idlest);
        idlest.Dispose();
        return true;
    }

    private BridgeSession? Find(ReadOnlySpan<byte> identity)
    {
        foreach (var session in sessions)
        {
            if (identity.SequenceEqual(session.Identity))
            {
                return session;
            }
        }

        return null;
    }

    /// <summary>The request record, never null: a nil body (valid MessagePack, but no record) is a malformed body.</summary>
    private static T Deserialize<T>(BridgeMessageType type, ReadOnlyMemory<byte> body) where T : class =>
        MessagePackSerializer.Deserialize<T>(body, BridgeProtocol.Options)
        ?? throw new MessagePackSerializationException($"the body is nil; {type} carries a map (see docs/sim-bridge-protocol.md)");

    private static Exception Innermost(Exception e) => e.InnerException is null ? e : Innermost(e.InnerException);

    private ReadOnlySpan<byte> NotMade(BridgeMessageType request) =>
        Error(BridgeErrorCode.NotMade, $"{request} before Make: this client has no environments on the bridge; send Make first");

    private ReadOnlySpan<byte> NoRandomization() =>
        Error(BridgeErrorCode.Unsupported, "this environment has no domain randomization to read or change");

    private ReadOnlySpan<byte> VersionMismatch(int clientVersion) =>
        Error(BridgeErrorCode.ProtocolVersionMismatch,
            $"client speaks sim-bridge protocol {clientVersion}, this bridge speaks {BridgeProtocol.Version}; use matching versions");

    private ReadOnlySpan<byte> Error(BridgeErrorCode code, string message)
    {
        Errors++;
        Log($"error {code}: {message}");
        return reply.Write(BridgeMessageType.Error, requestId, new ErrorReply { Code = (int)code, Message = message });
    }

    private void Log(string line) => options.Log?.Invoke(line);

    public void Dispose()
    {
        foreach (var session in sessions)
        {
            session.Dispose();
        }

        sessions.Clear();
    }
}
