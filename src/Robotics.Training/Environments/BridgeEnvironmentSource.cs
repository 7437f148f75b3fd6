using Robotics.Sim.Environments;
using Robotics.SimBridge;
using Robotics.SimBridge.Client;
using Robotics.SimBridge.Hosting;
using Robotics.SimBridge.Protocol;
using Robotics.SimBridge.Tasks;

namespace Robotics.Training.Environments;

/// <summary>
/// Environments served by sim bridges: remote ones named by endpoint, or local ones this source starts
/// (and restarts when one dies) and stops when disposed. The training vector spreads its environments
/// over the bridges as evenly as whole numbers allow (10 over 3: 4, 3, 3); evaluation runs on the first bridge
/// without domain randomization.
/// </summary>
public sealed class BridgeEnvironmentSource : IEnvironmentSource
{
    private readonly string task;
    private readonly bool randomize;
    private readonly BridgeClientOptions clientOptions;
    private readonly Func<LocalBridge>? startLocal;
    private readonly List<LocalBridge> localBridges = new();
    private readonly Action<string> log;
    private List<string> endpoints;
    private int reconnectAttempts = 5;

    private BridgeEnvironmentSource(string task, bool randomize, IEnumerable<string> endpoints, Func<LocalBridge>? startLocal, BridgeClientOptions? clientOptions, Action<string>? log)
    {
        this.task = task;
        this.randomize = randomize;
        this.endpoints = endpoints.ToList();
        this.startLocal = startLocal;
        this.clientOptions = clientOptions ?? new BridgeClientOptions();
        this.log = log ?? (_ => { });
    }

    /// <param name="reconnectAttempts">Tries to reach the bridges again after one failed, 2 s apart, before giving up.</param>
    public static BridgeEnvironmentSource Remote(string task, IEnumerable<string> endpoints, bool randomize = true, BridgeClientOptions? options = null, Action<string>? log = null, int reconnectAttempts = 5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(reconnectAttempts, 1);
        var source = new BridgeEnvironmentSource(task, randomize, endpoints, null, options, log) { reconnectAttempts = reconnectAttempts };
        if (source.endpoints.Count == 0) throw new ArgumentException("name at least one bridge endpoint (tcp://HOST:PORT)", nameof(endpoints));
        return source;
    }

    /// <summary>Starts <paramref name="count"/> local bridges with <paramref name="start"/> (e.g. child processes running <c>robotics sim-bridge</c>).</summary>
    public static BridgeEnvironmentSource Local(string task, int count, Func<LocalBridge> start, bool randomize = true, BridgeClientOptions? options = null, Action<string>? log = null)
    {
        var source = new BridgeEnvironmentSource(task, randomize, [], start, options, log);
        try
        {
            for (int i = 0; i < count; i++) source.localBridges.Add(start());
        }
        catch
        {
            source.Dispose();
            throw;
        }

        source.endpoints = source.localBridges.Select(b => b.Endpoint).ToList();
        return source;
    }

    public string Description => startLocal is null
        ? $"{endpoints.Count} remote bridge{(endpoints.Count == 1 ? "" : "s")} ({string.Join(", ", endpoints)})"
        : $"{localBridges.Count} local bridge{(localBridges.Count == 1 ? "" : "s")}";

    public IReadOnlyList<string> Endpoints => endpoints;

    public IVectorEnv CreateTraining(int numEnvs)
    {
        if (numEnvs < endpoints.Count)
            throw new Runner.TrainingSetupException($"num_envs ({numEnvs}) is fewer than the {endpoints.Count} bridges; give at least one environment per bridge (num_envs in the config), or name fewer bridges");
        return MultiBridgeVectorEnv.OpenSplit(endpoints, Make(numEnvs, randomize), numEnvs, clientOptions);
    }

    public IVectorEnv CreateEvaluation(int numEnvs) =>
        BridgeClient.Open(endpoints[0], Make(numEnvs, randomize: false), clientOptions);

    public bool IsEnvironmentFailure(Exception error) => error is BridgeException;

    public IVectorEnv Replace(IVectorEnv failed, int numEnvs)
    {
        failed.Dispose();
        if (startLocal is not null)
        {
            // Which bridge died is not always known (a timeout names the vector); restart them all, it takes a second.
            foreach (var bridge in localBridges) Stop(bridge);
            localBridges.Clear();
            for (int i = 0; i < endpoints.Count; i++) localBridges.Add(startLocal());
            endpoints = localBridges.Select(b => b.Endpoint).ToList();
            log($"restarted {localBridges.Count} local bridge(s): {string.Join(", ", endpoints)}");
            return CreateTraining(numEnvs);
        }

        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return CreateTraining(numEnvs);
            }
            catch (BridgeException e) when (attempt < reconnectAttempts)
            {
                log($"reconnecting to the bridges failed ({e.Message}); retry {attempt} of {reconnectAttempts - 1} in 2 s");
                Thread.Sleep(TimeSpan.FromSeconds(2));
            }
        }
    }

    public void Dispose()
    {
        foreach (var bridge in localBridges) Stop(bridge);
        localBridges.Clear();
    }

    private static void Stop(LocalBridge bridge)
    {
        try
        {
            bridge.Dispose();
        }
        catch (ObjectDisposedException)
        {
            // Already stopped by someone else; nothing left to stop.
        }
    }

    private MakeRequest Make(int numEnvs, bool randomize) => new() { Task = TaskOnBridge.Name(task), NumEnvs = numEnvs, Randomize = randomize };
}
