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
            .ConfigureDefaultValuesHandling(DefaultValuesHandling.Preserve)
            .Build()
            .Serialize(config);

    public static void Validate(TrainingConfig c, string file) => Validate(c, file, new Dictionary<string, int>());

    /// <param name="lines">The line of each key written in the file, by dotted name; errors about those keys name it.</param>
    private static void Validate(TrainingConfig c, string file, IReadOnlyDictionary<string, int> lines)
    {
        void Require(bool ok, string key, string problem)
        {
            if (!ok) throw new ConfigException(file, key, lines.TryGetValue(key, out int line) ? $"line {line}: {problem}" : problem);
        }

        Require(Algorithms.AlgorithmRegistry.Names.Contains(c.Algorithm), "algorithm",
            $"unknown algorithm '{c.Algorithm}'; expected one of: {string.Join(", ", Algorithms.AlgorithmRegistry.Names)}");
        Require(!string.IsNullOrWhiteSpace(c.Task), "task", "missing; name a task (configs/tasks, or a folder in ROBOTICS_CONFIG_DIR), e.g. cartpole-balance, or the path of a task file");
        Require(c.TotalSteps > 0, "total_steps", $"must be positive, got {c.TotalSteps}");
        Require(c.NumEnvs > 0, "num_envs", $"must be positive, got {c.NumEnvs}");
        Require(c.Device is "cpu" or "cuda", "device", $"expected cpu or cuda, got '{c.Device}'");
        Require(c.TorchThreads > 0, "torch_threads", $"must be positive, got {c.TorchThreads}");
        Require(c.LocalBridges >= 0, "local_bridges", $"must be 0 (one per core) or more, got {c.LocalBridges}");
        Require(c.EnvGroups >= 1 && c.EnvGroups <= c.NumEnvs, "env_groups", $"must be from 1 to num_envs ({c.NumEnvs}), got {c.EnvGroups}");
        Require(c.BridgeKeys.ServerKey is null == c.BridgeKeys.ClientKey is null, c.BridgeKeys.ServerKey is null ? "bridge_keys.server_key" : "bridge_keys.client_key",
            "bridge_keys needs both server_key (the bridges' public key or .pub file) and client_key (this host's .key file), or neither");
        Require(c.BridgeTimeouts.ReplySeconds is > 0 and <= 3600, "bridge_timeouts.reply_seconds", $"must be more than 0 and at most 3600, got {c.BridgeTimeouts.ReplySeconds}");
        Require(c.BridgeTimeouts.MakeSeconds is > 0 and <= 3600, "bridge_timeouts.make_seconds", $"must be more than 0 and at most 3600, got {c.BridgeTimeouts.MakeSeconds}");
        Require(c.BridgeTimeouts.ReconnectAttempts is >= 1 and <= 1000, "bridge_timeouts.reconnect_attempts", $"must be from 1 to 1000, got {c.BridgeTimeouts.ReconnectAttempts}");
        Require(c.Policy.HiddenSizes.Count > 0 && c.Policy.HiddenSizes.All(h => h > 0), "policy.hidden_sizes",
            "expected a list of positive layer widths, e.g. [64, 64]");
        Require(c.Policy.Activation is "tanh" or "relu" or "elu", "policy.activation",
            $"expected tanh, relu or elu, got '{c.Policy.Activation}'");
        Require(c.Normalization.ObsClip > 0, "normalization.obs_clip", "must be positive");
        Require(c.Normalization.RewardClip > 0, "normalization.reward_clip", "must be positive");

        var p = c.Ppo;
        Require(p.RolloutSteps > 0, "ppo.rollout_steps", "must be positive");
        Require(p.LearningRate > 0, "ppo.learning_rate", "must be positive");
        Require(p.LrSchedule is "constant" or "linear" or "cosine" or "adaptive", "ppo.lr_schedule",
            $"expected constant, linear, cosine or adaptive, got '{p.LrSchedule}'");
        Require(p.DesiredKl > 0, "ppo.desired_kl", "must be positive");
        Require(p.LrMin > 0 && p.LrMin <= p.LrMax, "ppo.lr_min", $"must be positive and at most lr_max ({p.LrMax})");
        Require(p.LrSchedule != "adaptive" || (p.LearningRate >= p.LrMin && p.LearningRate <= p.LrMax), "ppo.learning_rate",
            $"with lr_schedule: adaptive the initial rate must lie within [lr_min, lr_max] = [{p.LrMin}, {p.LrMax}]");
        Require(p.Gradients is "analytic" or "autograd", "ppo.gradients", $"expected analytic or autograd, got '{p.Gradients}'");
        Require(p.Gamma is > 0 and <= 1, "ppo.gamma", "must be in (0, 1]");
        Require(p.GaeLambda is >= 0 and <= 1, "ppo.gae_lambda", "must be in [0, 1]");
        Require(p.Epochs > 0, "ppo.epochs", "must be positive");
        Require(p.Minibatches > 0 && p.Minibatches <= p.RolloutSteps * c.NumEnvs, "ppo.minibatches",
            $"must be between 1 and the batch size ({p.RolloutSteps * c.NumEnvs} = rollout_steps x num_envs)");
        Require(p.RolloutSteps * c.NumEnvs % p.Minibatches == 0, "ppo.minibatches",
            Indivisible(p.RolloutSteps, c.NumEnvs, p.Minibatches));
        Require(p.ClipCoef > 0, "ppo.clip_coef", "must be positive");
        Require(p.MaxGradNorm > 0, "ppo.max_grad_norm", "must be positive");
        Require(p.TargetKl is null or > 0, "ppo.target_kl", "must be positive or left out");

        var s = c.Sac;
        Require(s.StepsPerIteration > 0, "sac.steps_per_iteration", "must be positive");
        Require(s.BufferSize > 0, "sac.buffer_size", "must be positive");
        Require(s.BatchSize > 0 && s.BatchSize <= s.BufferSize, "sac.batch_size", $"must be between 1 and buffer_size ({s.BufferSize})");
        Require(s.LearningStarts >= 0 && s.LearningStarts <= s.BufferSize, "sac.learning_starts",
            $"must be between 0 and buffer_size ({s.BufferSize}), or learning would never start");
        Require(s.UpdatesPerStep > 0, "sac.updates_per_step", "must be positive (gradient updates per environment transition)");
        Require(s.Gamma is > 0 and <= 1, "sac.gamma", "must be in (0, 1]");
        Require(s.Tau is > 0 and <= 1, "sac.tau", "must be in (0, 1]");
        Require(s.ActorLearningRate > 0, "sac.actor_learning_rate", "must be positive");
        Require(s.CriticLearningRate > 0, "sac.critic_learning_rate", "must be positive");
        Require(s.AlphaLearningRate > 0, "sac.alpha_learning_rate", "must be positive");
        Require(s.InitialAlpha > 0, "sac.initial_alpha", "must be positive");
        Require(s.LogStdMin < s.LogStdMax, "sac.log_std_min", $"must be below log_std_max ({s.LogStdMax})");
        Require(s.RewardScale > 0, "sac.reward_scale", "must be positive");

        var r = c.Reinforce;
        Require(r.RolloutSteps > 0, "reinforce.rollout_steps", "must be positive");
        Require(r.LearningRate > 0, "reinforce.learning_rate", "must be positive");
        Require(r.LrSchedule is "constant" or "linear" or "cosine", "reinforce.lr_schedule",
            $"expected constant, linear or cosine, got '{r.LrSchedule}'");
        Require(r.Gamma is > 0 and <= 1, "reinforce.gamma", "must be in (0, 1]");
        Require(r.BaselineLearningRate > 0, "reinforce.baseline_learning_rate", "must be positive");
        Require(r.BaselineSteps > 0, "reinforce.baseline_steps", "must be positive");
        Require(r.MaxGradNorm > 0, "reinforce.max_grad_norm", "must be positive");

        var a = c.A2c;
        Require(a.RolloutSteps > 0, "a2c.rollout_steps", "must be positive");
        Require(a.Advantage is "n_step" or "gae", "a2c.advantage", $"expected n_step or gae, got '{a.Advantage}'");
        Require(a.NSteps > 0, "a2c.n_steps", "must be positive");
        Require(a.GaeLambda is >= 0 and <= 1, "a2c.gae_lambda", "must be in [0, 1]");
        Require(a.Gamma is > 0 and <= 1, "a2c.gamma", "must be in (0, 1]");
        Require(a.Optimizer is "rmsprop" or "adam", "a2c.optimizer", $"expected rmsprop or adam, got '{a.Optimizer}'");
        Require(a.LearningRate > 0, "a2c.learning_rate", "must be positive");
        Require(a.LrSchedule is "constant" or "linear" or "cosine", "a2c.lr_schedule",
            $"expected constant, linear or cosine, got '{a.LrSchedule}'");
        Require(a.MaxGradNorm > 0, "a2c.max_grad_norm", "must be positive");

        var t = c.Trpo;
        Require(t.RolloutSteps > 0, "trpo.rollout_steps", "must be positive");
        Require(t.Gamma is > 0 and <= 1, "trpo.gamma", "must be in (0, 1]");
        Require(t.GaeLambda is >= 0 and <= 1, "trpo.gae_lambda", "must be in [0, 1]");
        Require(t.MaxKl > 0, "trpo.max_kl", "must be positive (the trust-region radius, e.g. 0.01)");
        Require(t.Damping >= 0, "trpo.damping", "must be 0 or more");
        Require(t.CgIterations > 0, "trpo.cg_iterations", "must be positive");
        Require(t.LineSearchSteps > 0, "trpo.line_search_steps", "must be positive");
        Require(t.LineSearchShrink is > 0 and < 1, "trpo.line_search_shrink", "must be in (0, 1)");
        Require(t.ValueLearningRate > 0, "trpo.value_learning_rate", "must be positive");
        Require(t.ValueEpochs > 0, "trpo.value_epochs", "must be positive");
        Require(t.ValueMinibatches > 0 && t.ValueMinibatches <= t.RolloutSteps * c.NumEnvs, "trpo.value_minibatches",
            $"must be between 1 and the batch size ({t.RolloutSteps * c.NumEnvs} = rollout_steps x num_envs)");
        Require(t.RolloutSteps * c.NumEnvs % t.ValueMinibatches == 0, "trpo.value_minibatches",
            Indivisible(t.RolloutSteps, c.NumEnvs, t.ValueMinibatches));
        Require(t.MaxGradNorm > 0, "trpo.max_grad_norm", "must be positive");

        var e = c.Evaluation;
        Require(e.EveryUpdates >= 0, "evaluation.every_updates", "must be 0 (off) or more");
        Require(e.Episodes > 0, "evaluation.episodes", "must be positive");
        Require(e.CollapseFraction is > 0 and < 1, "evaluation.collapse_fraction", "must be in (0, 1)");
        Require(e.CollapsePatience >= 0, "evaluation.collapse_patience", "must be 0 (off) or more");
        Require(e.RecoveryLrFactor is > 0 and <= 1, "evaluation.recovery_lr_factor", "must be in (0, 1]");
        Require(c.Checkpoint.EveryUpdates > 0, "checkpoint.every_updates", "must be positive");
        Require(c.Monitoring.Progress is "auto" or "always" or "never", "monitoring.progress", "expected auto, always or never");
    }

    /// <summary>Why a batch that does not split evenly is refused: the remainder would be dropped every epoch.</summary>
    private static string Indivisible(int rolloutSteps, int numEnvs, int minibatches)
    {
        int batch = rolloutSteps * numEnvs;
        int below = Enumerable.Range(1, minibatches).Last(d => batch % d == 0);
        return $"the batch of {batch} (rollout_steps {rolloutSteps} x num_envs {numEnvs}) does not split into {minibatches} equal minibatches; " +
               $"{batch % minibatches} samples would be dropped every epoch. Use a divisor of {batch}, e.g. {below}";
    }
}
