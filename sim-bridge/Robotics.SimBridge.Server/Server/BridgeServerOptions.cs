using Robotics.SimBridge.Protocol;
using Robotics.SimBridge.Security;

namespace Robotics.SimBridge.Server;

/// <summary>How a bridge serves its clients.</summary>
public sealed record BridgeServerOptions
{
    /// <summary>Environments per batch when a Make asks for 0.</summary>
    public int DefaultNumEnvs { get; init; } = 16;

    /// <summary>Largest batch one Make may ask for.</summary>
    public int MaxNumEnvs { get; init; } = BridgeProtocol.MaxNumEnvs;

    /// <summary>Clients served at once, each with its own batch; requests are handled one at a time in arrival order.</summary>
    public int MaxSessions { get; init; } = 8;

    /// <summary>A session idle this long may be dropped to make room for a new client when all slots are taken.</summary>
    public TimeSpan IdleSessionTimeout { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Requests handled per wake-up of the poller before it looks at its other work again.</summary>
    public int MaxDrain { get; init; } = 64;

    /// <summary>Name and version reported in HelloReply.</summary>
    public string BridgeName { get; init; } = $"robotics sim-bridge {typeof(BridgeServerOptions).Assembly.GetName().Version}";

    /// <summary>
    /// Further endpoints to listen on besides the main one, e.g. an inproc:// name that clients in the same
    /// process use to skip TCP and NetMQ's I/O threads.
    /// </summary>
    public IReadOnlyList<string> AlsoBind { get; init; } = [];

    /// <summary>
    /// Largest request frame accepted, in bytes. A larger one is refused by the socket before it is allocated and its
    /// connection dropped. The default holds a Step of 4096 environments × 256 actions with room to spare.
    /// </summary>
    public long MaxFrameBytes { get; init; } = 8 << 20;

    /// <summary>
    /// Send the loader's message back when a served task file cannot be made (it may quote the file). For bridges that
    /// serve their own user only, like the trainer's local bridges; others say only that the task failed and log why.
    /// </summary>
    public bool ExplainTaskErrors { get; init; }

    /// <summary>
    /// The bridge's key pair and the public keys of the clients it serves: with them the bridge speaks CURVE (encrypted,
    /// and only to clients that know its public key) and serves only clients whose Hello proves an allowed key. Null
    /// serves anyone who reaches the endpoint, for loopback bridges.
    /// </summary>
    public CurveServerKeys? Keys { get; init; }

    /// <summary>Where connection and error events are written; null for silence.</summary>
    public Action<string>? Log { get; init; }
}
