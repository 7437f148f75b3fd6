using System.Collections.Immutable;
using Robotics.Training.Algorithms;
using YamlDotNet.Serialization;

namespace Robotics.Training.Configuration;

/// <summary>A training run as written in configs/training/*.yaml (snake_case keys). Every field has a working default.</summary>
public sealed record TrainingConfig
{
    /// <summary>Which algorithm trains the policy; its options live in the section of the same name.</summary>
    public string Algorithm { get; init; } = "ppo";

    /// <summary>
    /// Task name (e.g. cartpole-balance), or the path of a task file; <see cref="TrainingConfigFile.Load"/> makes a
    /// relative path absolute from the config's folder, so a run folder's config.yaml works from any directory.
    /// </summary>
    public string Task { get; init; } = "";

    /// <summary>The task's own name (its <c>name:</c>, else its file name) when <see cref="Task"/> is a file; set by <see cref="TrainingConfigFile.Load"/>.</summary>
    [YamlIgnore]
    public string? TaskName { get; init; }

    /// <summary>Name of the run folder; defaults to task-algorithm-seed.</summary>
    public string? RunName { get; init; }

    /// <summary>Seeds torch and the environments.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Environment steps (summed over environments) after which training stops.</summary>
    public long TotalSteps { get; init; } = 1_000_000;

    /// <summary>Environments stepped together.</summary>
    public int NumEnvs { get; init; } = 16;

    /// <summary>cpu (default) or cuda.</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>Threads torch may use for its CPU kernels (small networks run best on one).</summary>
    public int TorchThreads { get; init; } = 1;

    /// <summary>Bridge endpoints (tcp://host:port); empty starts local bridges.</summary>
    public List<string> Bridges { get; init; } = new();

    /// <summary>Local bridges to start when none is named; 0 means one per core.</summary>
    public int LocalBridges { get; init; }

    /// <summary>
    /// Groups of environments that an on-policy collection steps out of phase, so that one group's messages travel
    /// while another is simulated (1: every environment in lockstep). The numbers depend on it: a run with 4 groups
    /// trains the same numbers wherever its bridges run, but not those of a run with 1.
    /// </summary>
    public int EnvGroups { get; init; } = 1;

    /// <summary>Keys for remote bridges started with keys (robotics sim-bridge --curve-key); unused for local bridges.</summary>
    public BridgeKeysOptions BridgeKeys { get; init; } = new();

    public BridgeTimeoutOptions BridgeTimeouts { get; init; } = new();

    public PolicyOptions Policy { get; init; } = new();
    public NormalizationOptions Normalization { get; init; } = new();

    // The algorithms' sections (ppo:, sac:, ...) are not properties: AlgorithmRegistry names them, and the YAML
    // reader and writer place them after normalization: (AlgorithmSectionsTypeInspector). Absent ones are defaults.
    private ImmutableDictionary<Type, AlgorithmOptions> algorithmOptions = ImmutableDictionary<Type, AlgorithmOptions>.Empty;

    public EvaluationOptions Evaluation { get; init; } = new();
    public CheckpointOptions Checkpoint { get; init; } = new();
    public MonitoringOptions Monitoring { get; init; } = new();

    /// <summary>The options of the algorithm whose section is of type <typeparamref name="T"/> (as written, or its defaults).</summary>
    public T Options<T>() where T : AlgorithmOptions => (T)Options(AlgorithmRegistry.ForOptions(typeof(T)));

    /// <summary>The options of <paramref name="algorithm"/>'s section (as written, or its defaults).</summary>
    public AlgorithmOptions Options(AlgorithmRegistration algorithm) =>
        algorithmOptions.TryGetValue(algorithm.OptionsType, out var options) ? options : algorithm.DefaultOptions();

    /// <summary>This config with <paramref name="options"/> as its algorithm's section.</summary>
    public TrainingConfig WithOptions(AlgorithmOptions options) =>
        this with { algorithmOptions = algorithmOptions.SetItem(AlgorithmRegistry.ForOptions(options.GetType()).OptionsType, options) };

    /// <summary>Sets a section while the YAML reader fills a new config; a config is otherwise never changed.</summary>
    internal void SetWhileReading(AlgorithmOptions options) =>
        algorithmOptions = algorithmOptions.SetItem(options.GetType(), options);

    /// <summary>The run name, or task-algorithm-seed with the task's name (not its path) when none is given.</summary>
    [YamlIgnore]
    public string ResolvedRunName => string.IsNullOrWhiteSpace(RunName) ? $"{TaskLabel}-{Algorithm}-seed{Seed}" : RunName!;

    /// <summary>The task as a short name: <see cref="TaskName"/>, else a task file's name without its extension, else <see cref="Task"/>.</summary>
    [YamlIgnore]
    public string TaskLabel => TaskName ?? (Robotics.Sim.Tasks.TaskCatalog.IsPath(Task) ? Path.GetFileNameWithoutExtension(Task) : Task);
}

/// <summary>The keys a trainer uses with remote bridges that have keys; both or neither.</summary>
/// <summary>How long the trainer waits for its bridges, and how often it tries to reach them again after a failure.</summary>
public sealed record BridgeTimeoutOptions
{
    /// <summary>Longest wait for any reply but Make's; a bridge silent for longer counts as failed.</summary>
    public double ReplySeconds { get; init; } = 5;

    /// <summary>Longest wait for Make, which loads and compiles the task's model.</summary>
    public double MakeSeconds { get; init; } = 60;

    /// <summary>Tries to reach remote bridges again after one failed, 2 s apart, before the run stops (and saves).</summary>
    public int ReconnectAttempts { get; init; } = 5;
}

public sealed record BridgeKeysOptions
{
    /// <summary>The bridges' public key: 40 Z85 characters, or the path of the bridge's .pub file.</summary>
    public string? ServerKey { get; init; }

    /// <summary>Path of this host's secret key file (NAME.key from robotics keys); its public key must be on the bridges' allow list.</summary>
    public string? ClientKey { get; init; }
}

/// <summary>The networks: Gaussian policy with a state-independent log-std and a separate value network.</summary>
public sealed record PolicyOptions
{
    /// <summary>Hidden layer widths of both the policy mean and the value network.</summary>
    public List<int> HiddenSizes { get; init; } = new() { 64, 64 };

    /// <summary>Hidden activation: tanh, relu or elu.</summary>
    public string Activation { get; init; } = "tanh";

    /// <summary>Initial log standard deviation of the action distribution.</summary>
    public double InitLogStd { get; init; }
}

/// <summary>Running normalization of observations and scaling of rewards.</summary>
public sealed record NormalizationOptions
{
    /// <summary>Normalize observations with running mean and variance (saved with the policy).</summary>
    public bool Observations { get; init; } = true;

    /// <summary>Normalized observations are clipped to [-ObsClip, ObsClip].</summary>
    public double ObsClip { get; init; } = 10.0;

    /// <summary>Divide rewards by the running standard deviation of the discounted return.</summary>
    public bool RewardScaling { get; init; } = true;

    /// <summary>Scaled rewards are clipped to [-RewardClip, RewardClip].</summary>
    public double RewardClip { get; init; } = 10.0;
}

/// <summary>Deterministic evaluation and collapse recovery.</summary>
public sealed record EvaluationOptions
{
    /// <summary>Evaluate the deterministic policy every this many updates (0 turns evaluation off).</summary>
    public int EveryUpdates { get; init; } = 10;

    /// <summary>Episodes per evaluation.</summary>
    public int Episodes { get; init; } = 8;

    /// <summary>An evaluation below this fraction of the best return counts towards a collapse.</summary>
    public double CollapseFraction { get; init; } = 0.5;

    /// <summary>Consecutive low evaluations that make a collapse (0 turns recovery off).</summary>
    public int CollapsePatience { get; init; } = 3;

    /// <summary>On recovery the learning rate is multiplied by this.</summary>
    public double RecoveryLrFactor { get; init; } = 0.5;

    /// <summary>
    /// Evaluate a copy of the policy on the evaluation environments while training goes on, instead of pausing
    /// training for it (an evaluation costs its episodes' length × the round trip to the bridges). Its results are
    /// taken in at the next evaluation, checkpoint or the run's end, in the metrics row of the update it evaluated;
    /// best.ckpt still holds that update; the collapse guard acts where the results are taken in.
    /// </summary>
    public bool InBackground { get; init; }
}

/// <summary>What the run folder keeps.</summary>
public sealed record CheckpointOptions
{
    /// <summary>
    /// Write last.ckpt (and a numbered copy) every this many updates. Environments are reseeded at these
    /// boundaries, so a resumed run continues exactly as an uninterrupted one would.
    /// </summary>
    public int EveryUpdates { get; init; } = 50;

    /// <summary>Keep numbered checkpoints (update_000050.ckpt, ...) besides last and best.</summary>
    public bool KeepNumbered { get; init; } = true;
}

/// <summary>Logging and alarms.</summary>
public sealed record MonitoringOptions
{
    /// <summary>Alarm when any action dimension's log-std falls below this.</summary>
    public double LogStdFloor { get; init; } = -4.0;

    /// <summary>Warn when an update's approximate KL is above this (<see cref="Monitoring.KlWatch"/>); 0 turns it off.</summary>
    public double KlAlarm { get; init; } = 1.0;

    /// <summary>Write TensorBoard event files next to metrics.csv.</summary>
    public bool Tensorboard { get; init; } = true;

    /// <summary>Live terminal view: auto (when the output is a terminal), always, never.</summary>
    public string Progress { get; init; } = "auto";
}
