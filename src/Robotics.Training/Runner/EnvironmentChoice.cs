using Robotics.SimBridge.Client;
using Robotics.SimBridge.Hosting;
using Robotics.SimBridge.Security;
using Robotics.Training.Configuration;
using Robotics.Training.Environments;

namespace Robotics.Training.Runner;

/// <summary>
/// Where a run's environments come from: remote bridges when endpoints are named (command line first,
/// then the config), in this process when asked, otherwise local bridges started here, one per core.
/// </summary>
public static class EnvironmentChoice
{
    /// <param name="startLocalBridge">Starts one local bridge (the command line starts <c>robotics sim-bridge</c> as a child process).</param>
    public static IEnvironmentSource For(TrainingConfig config, IReadOnlyList<string> bridges, bool inProcess, Func<LocalBridge> startLocalBridge, Action<string>? log = null)
    {
        var endpoints = bridges.Count > 0 ? bridges : config.Bridges;
        var timeouts = config.BridgeTimeouts;
        if (endpoints.Count > 0)
            return BridgeEnvironmentSource.Remote(config.Task, endpoints, options: RemoteOptions(config.BridgeKeys, timeouts), log: log, reconnectAttempts: timeouts.ReconnectAttempts, groups: config.EnvGroups);
        if (inProcess) return SimEnvironmentSource.ForTask(config.Task, threads: Environment.ProcessorCount, groups: config.EnvGroups);
        return BridgeEnvironmentSource.Local(config.Task, LocalBridgeCount(config), startLocalBridge, options: Waits(new BridgeClientOptions(), timeouts), log: log, groups: config.EnvGroups);
    }

    /// <summary>How the trainer reaches remote bridges: over CURVE with its key pair when bridge_keys names one. Key problems are one line.</summary>
    public static BridgeClientOptions RemoteOptions(BridgeKeysOptions keys, BridgeTimeoutOptions? timeouts = null)
    {
        var options = Waits(new BridgeClientOptions(), timeouts ?? new BridgeTimeoutOptions());
        if (keys.ServerKey is null || keys.ClientKey is null) return options;
        return options with
        {
            Keys = new CurveClientKeys(
                KeyFiles.ReadPublic(keys.ServerKey, "bridge key (bridge_keys.server_key, --bridge-key)"),
                KeyFiles.ReadSecret(keys.ClientKey, "client key (bridge_keys.client_key, --client-key)")),
        };
    }

    private static BridgeClientOptions Waits(BridgeClientOptions options, BridgeTimeoutOptions timeouts) => options with
    {
        Timeout = TimeSpan.FromSeconds(timeouts.ReplySeconds),
        MakeTimeout = TimeSpan.FromSeconds(timeouts.MakeSeconds),
    };

    /// <summary>local_bridges, or one per core; lowered until it divides num_envs so every bridge serves the same batch.</summary>
    public static int LocalBridgeCount(TrainingConfig config)
    {
        int count = config.LocalBridges > 0 ? config.LocalBridges : Environment.ProcessorCount;
        count = Math.Clamp(count, 1, config.NumEnvs);
        while (config.NumEnvs % count != 0) count--;
        return count;
    }
}
