using Robotics.Contract.Environments;
using Robotics.SimBridge;
using Robotics.SimBridge.Client;
using Robotics.SimBridge.Hosting;
using Robotics.SimBridge.Protocol;
using Robotics.SimBridge.Tasks;

namespace Robotics.Training.Environments;

/// <summary>
/// Environments served by sim bridges: remote ones named by endpoint, or local ones this source starts
/// (and restarts when one dies) and stops when disposed. The training vector spreads its environments
/// over the bridges as evenly as whole numbers allow (10 over 3: 4, 3, 3); so does evaluation, without domain
/// randomization. A remote bridge that stops answering is dropped and its environments go to the others; it is
/// taken in again when it answers (<see cref="Rejoin"/>). Environment i is seeded seed + i whichever bridge
/// serves it, so the set of bridges does not change what is simulated.
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
    private List<string> configured = [];
    private int reconnectAttempts = 5;
    private int groups = 1;
    private Task<List<string>>? rejoinProbe;

    private BridgeEnvironmentSource(string task, bool randomize, IEnumerable<string> endpoints, Func<LocalBridge>? startLocal, BridgeClientOptions? clientOptions, Action<string>? log)
    {
        this.task = task;
        this.randomize = randomize;
        this.endpoints = endpoints.ToList();
        this.startLocal = startLocal;
        this.clientOptions = clientOptions ?? new BridgeClientOptions();
        this.log = log ?? (_ => { });
    }

    /// <param name="reconnectAttempts">When no bridge answers: tries to reach them again, 2 s apart, before giving up.</param>
    /// <param name="groups">Training environments in this many groups (env_groups), each spread over every bridge.</param>
    public static BridgeEnvironmentSource Remote(string task, IEnumerable<string> endpoints, bool randomize = true, BridgeClientOptions? options = null, Action<string>? log = null, int reconnectAttempts = 5, int groups = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(reconnectAttempts, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(groups, 1);
        var source = new BridgeEnvironmentSource(task, randomize, endpoints, null, options, log) { reconnectAttempts = reconnectAttempts, groups = groups };
        if (source.endpoints.Count == 0) throw new ArgumentException("name at least one bridge endpoint (tcp://HOST:PORT)", nameof(endpoints));
        source.configured = source.endpoints.ToList();
        return source;
    }

    /// <summary>Starts <paramref name="count"/> local bridges with <paramref name="start"/> (e.g. child processes running <c>robotics sim-bridge</c>).</summary>
    public static BridgeEnvironmentSource Local(string task, int count, Func<LocalBridge> start, bool randomize = true, BridgeClientOptions? options = null, Action<string>? log = null, int groups = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(groups, 1);
        var source = new BridgeEnvironmentSource(task, randomize, [], start, options, log) { groups = groups };
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

    public string Description => startLocal is not null
        ? $"{localBridges.Count} local bridge{(localBridges.Count == 1 ? "" : "s")}"
        : Dropped.Count == 0
            ? $"{endpoints.Count} remote bridge{(endpoints.Count == 1 ? "" : "s")} ({string.Join(", ", endpoints)})"
            : $"{endpoints.Count} of {configured.Count} remote bridges ({string.Join(", ", endpoints)}; not answering: {string.Join(", ", Dropped)})";

    /// <summary>The bridges in use.</summary>
    public IReadOnlyList<string> Endpoints => endpoints;

    /// <summary>Remote bridges named but dropped because they stopped answering; empty for local bridges.</summary>
    public IReadOnlyList<string> Dropped => configured.Where(e => !endpoints.Contains(e)).ToList();

    public IVectorEnv CreateTraining(int numEnvs)
    {
        if (numEnvs < endpoints.Count)
            throw new Runner.TrainingSetupException($"num_envs ({numEnvs}) is fewer than the {endpoints.Count} bridges; give at least one environment per bridge (num_envs in the config), or name fewer bridges");
        if (groups == 1) return MultiBridgeVectorEnv.OpenSplit(endpoints, Make(numEnvs, randomize), numEnvs, clientOptions);
        if (numEnvs < groups * endpoints.Count)
            throw new Runner.TrainingSetupException($"env_groups ({groups}) on {endpoints.Count} bridges needs at least {groups * endpoints.Count} environments (one per group on each bridge), num_envs is {numEnvs}; lower env_groups or raise num_envs");
        // Group g's environments are spread over every bridge, so each bridge serves one session per group.
        return GroupedVectorEnv.Create(numEnvs, groups, n => MultiBridgeVectorEnv.OpenSplit(endpoints, Make(n, randomize), n, clientOptions), MultiBridgeVectorEnv.WaitForAny);
    }

    public IVectorEnv CreateTrainingWithSurvivors(int numEnvs)
    {
        if (startLocal is not null) return CreateTraining(numEnvs);
        Use(Answering(configured), "at the start");
        return CreateTraining(numEnvs);
    }

    /// <summary>Every bridge in use serves a share of the episodes (at most one bridge per episode).</summary>
    public IVectorEnv CreateEvaluation(int numEnvs) =>
        MultiBridgeVectorEnv.OpenSplit(endpoints.Take(numEnvs).ToList(), Make(numEnvs, randomize: false), numEnvs, clientOptions);

    /// <summary>
    /// Asks the dropped bridges in the background, so that a dead one costs the training no wait: a call starts the
    /// asking, and the next call takes in those that answered (waiting at most the reply timeout for the answers,
    /// which a checkpoint interval of any length has usually outlasted) and asks again if none did.
    /// </summary>
    public IVectorEnv? Rejoin(IVectorEnv current, int numEnvs)
    {
        var dropped = Dropped;
        if (dropped.Count == 0) return null;
        var back = TakeRejoinAnswers();
        if (back.Count == 0)
        {
            rejoinProbe = Task.Run(() => Answering(dropped));
            return null;
        }

        var before = endpoints;
        endpoints = configured.Where(e => before.Contains(e) || back.Contains(e)).ToList();
        try
        {
            var joined = CreateTraining(numEnvs);
            log($"{string.Join(", ", back)} answer{(back.Count == 1 ? "s" : "")} again; training goes on with {Description}");
            return joined;
        }
        catch (BridgeException e)
        {
            endpoints = before;
            log($"{string.Join(", ", back)} answered but could not take environments ({e.Message}); trying again at the next checkpoint");
            return null;
        }
    }

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

        // Find out which bridges still answer: those that do carry on with the dead ones' environments, at once.
        var answering = Answering(configured);
        if (answering.Count > 0)
        {
            Use(answering, "after a failure");
            try
            {
                return CreateTraining(numEnvs);
            }
            catch (BridgeException e)
            {
                log($"the bridges that answered could not take the environments ({e.Message}); trying again");
            }
        }

        for (int attempt = 1; ; attempt++)
        {
            try
            {
                endpoints = configured.ToList();
                return CreateTraining(numEnvs);
            }
            catch (BridgeException e) when (attempt < reconnectAttempts)
            {
                log($"reconnecting to the bridges failed ({e.Message}); retry {attempt} of {reconnectAttempts - 1} in 2 s");
                Thread.Sleep(TimeSpan.FromSeconds(2));
            }
        }
    }

    /// <summary>Those of <paramref name="candidates"/> that answer a Hello within the reply timeout, asked all at once.</summary>
    private List<string> Answering(IReadOnlyList<string> candidates)
    {
        var answers = candidates.Select(endpoint => Task.Run(() =>
        {
            try
            {
                using var client = BridgeClient.Connect(endpoint, clientOptions);
                return true;
            }
            catch (BridgeException)
            {
                return false;
            }
        })).ToArray();
        Task.WaitAll(answers);
        return candidates.Where((_, i) => answers[i].Result).ToList();
    }

    /// <summary>
    /// The dropped bridges that answered the asking in flight (empty when none is, it failed, or it outlasted the
    /// reply timeout), waiting for it at most that long; the asking is over afterwards.
    /// </summary>
    private List<string> TakeRejoinAnswers()
    {
        var probe = rejoinProbe;
        rejoinProbe = null;
        try
        {
            return probe is not null && probe.Wait(clientOptions.Timeout + TimeSpan.FromSeconds(1)) ? probe.Result : [];
        }
        catch (AggregateException)
        {
            return [];
        }
    }

    private void Use(List<string> answering, string when)
    {
        if (answering.Count == 0 || answering.Count == configured.Count)
        {
            endpoints = configured.ToList();
            return;
        }

        endpoints = answering;
        log($"{string.Join(", ", Dropped)} do{(Dropped.Count == 1 ? "es" : "")} not answer {when}; training goes on with {Description} " +
            "and takes them in again when they answer (checked at every checkpoint)");
    }

    public void Dispose()
    {
        // A Hello still in flight ends within the reply timeout; its socket must not outlive the source.
        TakeRejoinAnswers();
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
