using System.CommandLine;
using Robotics.SimBridge.Hosting;
using Robotics.SimBridge.Tasks;
using Robotics.Training.Configuration;

namespace Robotics.Cli.Commands;

/// <summary>
/// Where the verbs that step environments (train, resume, eval, the training benchmarks) get them: running bridges
/// named on the command line (with their keys), local bridge processes of this program, or MuJoCo in this process.
/// </summary>
internal static class EnvironmentOptions
{
    public static Option<string[]> Bridges() => new("--bridge")
    {
        Description = "endpoint of a running sim bridge (repeat for several); without it, local bridges are started, one per core",
        AllowMultipleArgumentsPerToken = true,
    };

    public static Option<string?> BridgeKey() => new("--bridge-key")
    {
        Description = "public key of bridges started with keys: 40 Z85 characters or the bridge's .pub file (overrides bridge_keys.server_key)",
    };

    public static Option<string?> ClientKey() => new("--client-key")
    {
        Description = "this host's secret key file (from `robotics keys`), whose public key the bridges allow (overrides bridge_keys.client_key)",
    };

    /// <summary>The config's bridge keys with the command line's in their place where given.</summary>
    public static BridgeKeysOptions BridgeKeys(BridgeKeysOptions config, string? bridgeKey, string? clientKey) =>
        new() { ServerKey = bridgeKey ?? config.ServerKey, ClientKey = clientKey ?? config.ClientKey };

    public static Option<bool> InProcess() => new("--in-process")
    {
        Description = "step MuJoCo in this process instead of through bridges (no messaging; for quick experiments)",
    };

    /// <summary>
    /// Starts child processes running this program's sim-bridge verb on a free loopback port, one stepping thread,
    /// serving <paramref name="task"/>'s folder when it is a file, and explaining task errors (they serve this user only).
    /// </summary>
    public static Func<LocalBridge> LocalBridgeStarter(string task)
    {
        string self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell which program is running");
        var leading = Path.GetFileNameWithoutExtension(self) == "dotnet" ? new[] { typeof(EnvironmentOptions).Assembly.Location } : [];
        // One session per env group on each bridge, and one for evaluation: more than the default cap of 8 for a
        // bridge serving many clients, and this bridge serves this trainer only.
        var arguments = new List<string> { "--threads", "1", "--quiet", "--explain-task-errors", "--max-sessions", "64" };
        if (TaskOnBridge.Folder(task) is { } folder)
        {
            arguments.AddRange(["--tasks", folder]);
        }

        return () => LocalBridge.StartProcess(self, leading, arguments);
    }
}
