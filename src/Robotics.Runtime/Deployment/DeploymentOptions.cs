using Robotics.Runtime.Safety;

namespace Robotics.Runtime.Deployment;

/// <summary>How a policy is deployed on a robot; the defaults are those of <c>run</c> in both programs.</summary>
public sealed record DeploymentOptions
{
    /// <summary>How long <see cref="HandshakeTimeout"/> waits unless told otherwise.</summary>
    public static readonly TimeSpan DefaultHandshakeTimeout = TimeSpan.FromSeconds(2);

    /// <summary>The ONNX model written by <c>robotics export</c>.</summary>
    public required string PolicyPath { get; init; }

    /// <summary>The robot link, e.g. <c>serial:/dev/ttyACM0?baud=921600</c> or <c>loopback</c>.</summary>
    public required string Link { get; init; }

    /// <summary>Control rate; null for the rate in the policy's contract.</summary>
    public double? RateHz { get; init; }

    /// <summary>Stop after this long of driving; null runs until stopped.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>The operator's command the policy observes: fixed values, a profile file or a live feed.</summary>
    public CommandOptions Command { get; init; } = new();

    public SafetyOptions Safety { get; init; } = new();

    /// <summary>How long to wait for the robot's answer to the handshake.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = DefaultHandshakeTimeout;

    /// <summary>The robot's own contract (JSON); where given, every difference from the policy's is named before the link opens.</summary>
    public string? RobotContractPath { get; init; }

    /// <summary>Per-tick telemetry CSV; null writes none.</summary>
    public string? TelemetryPath { get; init; }

    /// <summary>Run the control thread under the real-time FIFO scheduler.</summary>
    public bool Realtime { get; init; }
}

/// <summary>
/// Where the operator's command comes from; at most one of the three. None holds each component at the middle of
/// its trained range.
/// </summary>
public sealed record CommandOptions
{
    /// <summary>Fixed values in contract order (<c>--command 0.5,0,0</c>).</summary>
    public string? Fixed { get; init; }

    /// <summary>A CSV profile of time_s,values... (<c>--command-file</c>).</summary>
    public string? ProfilePath { get; init; }

    /// <summary>Hold each profile row until the next instead of interpolating.</summary>
    public bool HoldProfile { get; init; }

    /// <summary>Lines of values fed while running (<c>--command-live</c>); null for none.</summary>
    public TextReader? Live { get; init; }
}
