using Robotics.SimBridge.Security;

namespace Robotics.SimBridge.Client;

/// <summary>How a client waits for its bridge.</summary>
public sealed record BridgeClientOptions
{
    /// <summary>Longest wait for any reply but Make's; past it the client throws a <see cref="BridgeException"/>.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest wait for Make, which loads and compiles models.</summary>
    public TimeSpan MakeTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Longest wait for Close when the client is disposed; the bridge frees an idle batch on its own later.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The bridge's public key and this client's key pair, for a bridge with keys: the client then speaks CURVE, uses a
    /// random routing identity and proves its key in Hello. Null for bridges without keys (loopback).
    /// </summary>
    public CurveClientKeys? Keys { get; init; }

    /// <summary>
    /// Largest frame the client takes from a bridge. ZeroMQ checks a frame's length header against it before it
    /// allocates, so a damaged or hostile bridge cannot make the client take gigabytes; a batch whose step replies
    /// could outgrow it is refused when it is made (<see cref="SpecReplyCheck"/>).
    /// </summary>
    public long MaxReplyBytes { get; init; } = DefaultMaxReplyBytes;

    /// <summary>64 MiB: 4096 environments of 2,000 observation floats each, final observations included.</summary>
    public const long DefaultMaxReplyBytes = 64L << 20;

    /// <summary>Shown in the bridge's log.</summary>
    public string ClientName { get; init; } = $"pid {Environment.ProcessId}";
}
