using Robotics.Contract;
using Robotics.Contract.Definitions;
using Robotics.Sim.Tasks;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Robotics.Training.Configuration;

/// <summary>Reads, checks and writes training configs (YAML, snake_case keys).</summary>
public static class TrainingConfigFile
{
    /// <summary>
    /// Reads and checks a config file. A <c>task:</c> that is a path is read from the config's folder (as a task's
    /// <c>robot:</c> and a robot's <c>mjcf:</c> are read from theirs) and kept absolute, with the task's name.
    /// </summary>
    public static TrainingConfig Load(string path)
    {
        if (!File.Exists(path))
            throw new ConfigException(path, "(file)", "the training config does not exist; pass one of configs/training/*.yaml");
        var config = Parse(File.ReadAllText(path), path, out var lines);
        return ResolveTaskFile(config, Path.GetFullPath(path), lines);
    }

    /// <summary>Reads and checks config text; <paramref name="fileName"/> names it in errors. A task path is kept as written.</summary>
    public static TrainingConfig Parse(string yaml, string fileName) => Parse(yaml, fileName, out _);

    private static TrainingConfig ResolveTaskFile(TrainingConfig config, string file, IReadOnlyDictionary<string, int> lines)
    {
        if (!TaskCatalog.IsPath(config.Task))
            return config;
        string task = Path.GetFullPath(config.Task, Path.GetDirectoryName(file)!);
        if (!File.Exists(task))
        {
            string where = lines.TryGetValue("task", out int line) ? $"line {line}: " : "";
            throw new ConfigException(file, "task",
                $"{where}task file not found: {task} (a relative path is read from the folder of this config, {Path.GetDirectoryName(file)})");
        }

        return config with { Task = task, TaskName = TaskDefinition.Load(task).Name };
    }

    private static TrainingConfig Parse(string yaml, string fileName, out IReadOnlyDictionary<string, int> lines)
    {
        lines = TrainingConfigSchema.Check(yaml, fileName);
        TrainingConfig? config;
        try
        {
            var deserializer = new DeserializerBuilder()
                .WithNamingConvention(UnderscoredNamingConvention.Instance)
                .WithTypeInspector(inner => new AlgorithmSectionsTypeInspector(inner))
                .Build();
            config = deserializer.Deserialize<TrainingConfig>(yaml);
        }
        catch (YamlException e)
        {
            string where = $"line {e.Start.Line}, column {e.Start.Column}";
            string inner = e.InnerException?.Message ?? e.Message;
            throw new ConfigException(fileName, where, $"{inner} (keys are snake_case; see docs/training.md for the list)");
        }

        config ??= new TrainingConfig();
        Validate(config, fileName, lines);
        return config;
    }

    public static string ToYaml(TrainingConfig config) =>
        new SerializerBuilder()
            .WithNamingConvention(UnderscoredNamingConvention.Instance)
            .WithTypeInspector(inner => new AlgorithmSectionsTypeInspector(inner))
            .ConfigureDefaultValuesHandling(DefaultValuesHandling.Preserve)
            .Build()
            .Serialize(config);

    public static void Validate(TrainingConfig c, string file) => Validate(c, file, new Dictionary<string, int>());

    /// <param name="lines">The line of each key written in the file, by dotted name; errors about those keys name it.</param>
    private static void Validate(TrainingConfig c, string file, IReadOnlyDictionary<string, int> lines)
    {
        var check = new ConfigCheck(file, lines);
        var require = check.Require;
        require(Algorithms.AlgorithmRegistry.Names.Contains(c.Algorithm), "algorithm",
            $"unknown algorithm '{c.Algorithm}'; expected one of: {string.Join(", ", Algorithms.AlgorithmRegistry.Names)}");
        require(!string.IsNullOrWhiteSpace(c.Task), "task", "missing; name a task (configs/tasks, or a folder in ROBOTICS_CONFIG_DIR), e.g. cartpole-balance, or the path of a task file");
        require(c.TotalSteps > 0, "total_steps", $"must be positive, got {c.TotalSteps}");
        require(c.NumEnvs > 0, "num_envs", $"must be positive, got {c.NumEnvs}");
        require(c.Device is "cpu" or "cuda", "device", $"expected cpu or cuda, got '{c.Device}'");
        require(c.TorchThreads > 0, "torch_threads", $"must be positive, got {c.TorchThreads}");
        require(c.LocalBridges >= 0, "local_bridges", $"must be 0 (one per core) or more, got {c.LocalBridges}");
        require(c.EnvGroups >= 1 && c.EnvGroups <= c.NumEnvs, "env_groups", $"must be from 1 to num_envs ({c.NumEnvs}), got {c.EnvGroups}");
        require(c.BridgeKeys.ServerKey is null == c.BridgeKeys.ClientKey is null, c.BridgeKeys.ServerKey is null ? "bridge_keys.server_key" : "bridge_keys.client_key",
            "bridge_keys needs both server_key (the bridges' public key or .pub file) and client_key (this host's .key file), or neither");
        require(c.BridgeTimeouts.ReplySeconds is > 0 and <= 3600, "bridge_timeouts.reply_seconds", $"must be more than 0 and at most 3600, got {c.BridgeTimeouts.ReplySeconds}");
        require(c.BridgeTimeouts.MakeSeconds is > 0 and <= 3600, "bridge_timeouts.make_seconds", $"must be more than 0 and at most 3600, got {c.BridgeTimeouts.MakeSeconds}");
        require(c.BridgeTimeouts.ReconnectAttempts is >= 1 and <= 1000, "bridge_timeouts.reconnect_attempts", $"must be from 1 to 1000, got {c.BridgeTimeouts.ReconnectAttempts}");
        require(c.Policy.HiddenSizes.Count > 0 && c.Policy.HiddenSizes.All(h => h > 0), "policy.hidden_sizes",
            "expected a list of positive layer widths, e.g. [64, 64]");
        require(c.Policy.Activation is "tanh" or "relu" or "elu", "policy.activation",
            $"expected tanh, relu or elu, got '{c.Policy.Activation}'");
        require(c.Normalization.ObsClip > 0, "normalization.obs_clip", "must be positive");
        require(c.Normalization.RewardClip > 0, "normalization.reward_clip", "must be positive");

        // Every algorithm's section, chosen or not: a mistake in one is reported before it is ever trained.
        foreach (var algorithm in Algorithms.AlgorithmRegistry.All) c.Options(algorithm).Validate(check.Section(algorithm.Name), c);

        var e = c.Evaluation;
        require(e.EveryUpdates >= 0, "evaluation.every_updates", "must be 0 (off) or more");
        require(e.Episodes > 0, "evaluation.episodes", "must be positive");
        require(e.CollapseFraction is > 0 and < 1, "evaluation.collapse_fraction", "must be in (0, 1)");
        require(e.CollapsePatience >= 0, "evaluation.collapse_patience", "must be 0 (off) or more");
        require(e.RecoveryLrFactor is > 0 and <= 1, "evaluation.recovery_lr_factor", "must be in (0, 1]");
        // A background evaluation runs a copy of the whole algorithm; an off-policy one's would copy its replay buffer too.
        var onPolicy = Algorithms.AlgorithmRegistry.All.Where(r => r.OptionsType.IsAssignableTo(typeof(Algorithms.OnPolicy.OnPolicyOptions))).Select(r => r.Name).ToList();
        require(!e.InBackground || onPolicy.Contains(c.Algorithm), "evaluation.in_background",
            $"is for the on-policy algorithms ({string.Join(", ", onPolicy)}); {c.Algorithm} evaluates between its updates");
        require(c.Checkpoint.EveryUpdates > 0, "checkpoint.every_updates", "must be positive");
        require(c.Monitoring.KlAlarm >= 0 && double.IsFinite(c.Monitoring.KlAlarm), "monitoring.kl_alarm", $"must be 0 (off) or positive, got {c.Monitoring.KlAlarm}");
        require(c.Monitoring.Progress is "auto" or "always" or "never", "monitoring.progress", "expected auto, always or never");
    }
}
