namespace Robotics.SimBridge.Protocol;

/// <summary>The code of an <see cref="ErrorReply"/>. Values are part of the wire format: never renumber.</summary>
public enum BridgeErrorCode
{
    /// <summary>The frame's type byte names no request.</summary>
    UnknownMessageType = 1,

    /// <summary>The frame is shorter than its 8-byte header, its reserved bytes are not zero, or it came in several parts.</summary>
    MalformedFrame = 2,

    /// <summary>The MessagePack body does not decode as the request's record.</summary>
    MalformedBody = 3,

    /// <summary>The client speaks another protocol version.</summary>
    ProtocolVersionMismatch = 4,

    /// <summary>Reset, step or randomization before a successful make.</summary>
    NotMade = 5,

    /// <summary>Step before the first reset.</summary>
    NotReset = 6,

    /// <summary>The action array does not hold NumEnvs × ActionSize float32 values.</summary>
    BadShape = 7,

    /// <summary>An action is NaN or infinite.</summary>
    NonFiniteActions = 8,

    /// <summary>The task, the number of environments or the randomization YAML is invalid.</summary>
    ConfigError = 9,

    /// <summary>The environment does not offer what was asked (e.g. randomization).</summary>
    Unsupported = 10,

    /// <summary>The bridge serves as many clients as it may; close another one first.</summary>
    Busy = 11,

    /// <summary>The environment failed while handling the request.</summary>
    Internal = 12,

    /// <summary>A bridge with keys refused the client's Hello (key not allowed, bad or stale proof), or a request came before an accepted Hello.</summary>
    Unauthorized = 13,
}
