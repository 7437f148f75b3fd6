using System.Diagnostics;
using Robotics.SimBridge.Hosting;
using Robotics.Testing;

namespace Robotics.Cli.Tests.Fleet;

/// <summary>
/// A sim bridge on "another host": the robotics-sim-bridge program of this build in a network namespace of its own,
/// serving <c>tcp://10.x.y.2:5555</c> without keys (<c>--insecure</c>), reached from this namespace over a veth pair.
/// Disposing stops the bridge and deletes the namespace.
/// </summary>
internal sealed class NamespacedBridge : IDisposable
{
    /// <summary>Every bridge listens on this port: each namespace has ports of its own.</summary>
    public const int Port = 5555;

    private static readonly string Program = Path.Combine(AppContext.BaseDirectory, "robotics-sim-bridge");

    private readonly NetworkNamespace host;
    private readonly LocalBridge bridge;

    private NamespacedBridge(NetworkNamespace host, Process process, LocalBridge bridge)
    {
        this.host = host;
        Process = process;
        this.bridge = bridge;
    }

    /// <summary>Where a client in this namespace reaches the bridge, e.g. tcp://10.213.7.2:5555.</summary>
    public string Endpoint => bridge.Endpoint;

    /// <summary>The bridge program's process, to kill as a host that dies.</summary>
    public Process Process { get; }

    /// <summary>The namespace it runs in.</summary>
    public NetworkNamespace Host => host;

    /// <summary>Starts the bridge with <c>--threads 1</c> and <paramref name="extraArguments"/> and waits until it answers a Hello.</summary>
    public static NamespacedBridge Start(params string[] extraArguments)
    {
        var host = NetworkNamespaces.Create();
        try
        {
            var process = host.Start(Program, ["--bind", $"tcp://{host.Address}:{Port}", "--insecure", "--stop-on-stdin-eof", "--threads", "1", .. extraArguments], start =>
            {
                start.RedirectStandardInput = true;
                start.RedirectStandardOutput = true;
                start.RedirectStandardError = true;
            });
            var bridge = LocalBridge.Attach(process, $"{Program} in {host}", TimeSpan.FromSeconds(20));
            return new NamespacedBridge(host, process, bridge);
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    /// <summary>Kills the bridge at once, as a host that loses power: no goodbye to its clients.</summary>
    public void Kill()
    {
        Process.Kill();
        Process.WaitForExit(TimeSpan.FromSeconds(5));
    }

    public void Dispose()
    {
        bridge.Dispose();
        host.Dispose();
    }
}
