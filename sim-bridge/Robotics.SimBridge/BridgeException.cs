using Robotics.SimBridge.Protocol;

namespace Robotics.SimBridge;

/// <summary>
/// A bridge could not be reached, did not answer in time, or refused a request. <see cref="Code"/> is set
/// when the bridge answered with an error reply; <see cref="TimedOut"/> when it did not answer at all.
/// </summary>
public sealed class BridgeException : Exception
{
    public BridgeException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }

    /// <summary>The bridge this is about, when known.</summary>
    public string? Endpoint { get; init; }

    /// <summary>The code of the bridge's error reply; null when it did not answer or the error is local.</summary>
    public BridgeErrorCode? Code { get; init; }

    /// <summary>True when the bridge did not answer within the client's timeout (dead, unreachable or too slow).</summary>
    public bool TimedOut { get; init; }
}
