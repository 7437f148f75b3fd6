using System.Diagnostics;
using Robotics.Sim.Environments;
using Robotics.Training.Algorithms;
using Robotics.Training.Checkpoints;
using Robotics.Training.Configuration;
using Robotics.Training.Environments;
using Robotics.Training.Monitoring;
using TorchSharp;

namespace Robotics.Training.Runner;

/// <summary>How a run ended.</summary>
public sealed record TrainingResult(string RunDir, int Iterations, long EnvSteps, double BestEvalReturn, EvaluationResult? LastEvaluation, int Recoveries, int SkippedUpdates);

/// <summary>
/// The only piece that talks to environments, logs and checkpoints. Each iteration: collect, learn,
/// log every metric, evaluate now and then (with collapse recovery), checkpoint at fixed boundaries.
/// Environments are reseeded at every checkpoint boundary, which makes a resumed run identical to an
/// uninterrupted one.
/// </summary>
public sealed class TrainingRunner
{
    private const int EvaluationSeedOffset = 1_000_000;
    private const int MaxSkippedInARow = 3;

    private readonly TrainingConfig config;
    private readonly RunFolder folder;
    private readonly IEnvironmentSource source;
    private IVectorEnv? evalEnv;

    public TrainingRunner(TrainingConfig config, string runDir, IEnvironmentSource source)
    {
        this.config = config;
        folder = new RunFolder(runDir);
        this.source = source;
    }

    /// <summary>Stops after this many updates (0 = run to total_steps). Lets tests interrupt a run.</summary>
    public int StopAfterIterations { get; init; }

    /// <summary>Receives every update's metrics (tests compare runs with it).</summary>
    public Action<MetricRecord>? OnUpdate { get; init; }

    /// <summary>Called after each update's learning step with the algorithm and the update's number; lets tests fail an update mid-way.</summary>
    public Action<IAlgorithm, int>? AfterLearn { get; init; }

    public TrainingResult Train(IProgressReporter progress, bool resume, CancellationToken cancel = default)
    {
        var device = TrainingDevice.Resolve(config.Device);
        torch.set_num_threads(config.TorchThreads);
        // The environments come first: a task or bridge that cannot start fails here, before the run folder exists,
        // so a failed start leaves nothing behind.
        // A resumed run goes on with the bridges that answer (some may have been dropped before the stop).
        var env = resume ? source.CreateTrainingWithSurvivors(config.NumEnvs) : source.CreateTraining(config.NumEnvs);
        TrainingLog log;
        try
        {
            folder.Create();
            log = new TrainingLog(folder.Log, progress.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            env.Dispose();
            throw new TrainingSetupException($"cannot write the run folder {folder.Root}: {e.Message}");
        }

        using var _ = log;
        IAlgorithm? algorithm = null;
        MetricsCsv? csv = null;
        TensorboardLog? tensorboard = null;
        try
        {
            csv = new MetricsCsv(folder.Metrics);
            tensorboard = config.Monitoring.Tensorboard ? new TensorboardLog(folder.Events) : null;
            var spec = env.Spec;
            RunCounters counters;
            if (resume)
            {
                (algorithm, counters) = LoadForResume(spec, device, log);
                csv.TruncateAfter(counters.Iteration);
                tensorboard?.TruncateAfter(counters.EnvSteps);
                log.Info($"resumed {folder.Root} at update {counters.Iteration}, {counters.EnvSteps} steps");
            }
            else
            {
                torch.manual_seed(config.Seed);
                algorithm = AlgorithmRegistry.Create(config, spec, device);
                counters = new RunCounters();
                File.WriteAllText(folder.Config, TrainingConfigFile.ToYaml(config));
                log.Info($"training {config.Task} with {config.Algorithm} on {config.Device}: {source.Description}, run folder {folder.Root}");
            }

            var state = new LoopState(counters);
            env = ResetEnvironments(algorithm, env, EnvSeed(counters.Iteration), state, log);
            int skippedInARow = 0, skippedTotal = 0, iterationsThisCall = 0;
            EvaluationResult? lastEval = null;
            if (config.Evaluation.EveryUpdates > 0 && config.Evaluation.CollapsePatience > 0 && state.Iteration == 0 && double.IsNaN(state.InitialEvalReturn))
            {
                // Collapse detection measures returns from this zero point (CollapseRule).
                state.InitialEvalReturn = Evaluate(algorithm, ref env, state, log).MeanReturn;
                log.Info($"evaluation before training: return {state.InitialEvalReturn:F2}");
            }

            var sinceStart = Stopwatch.StartNew();
            long stepsAtStart = state.EnvSteps;

            int savedAt = -1;
            var consistent = new ConsistentState();
            try
            {
                while (state.EnvSteps < config.TotalSteps && (StopAfterIterations == 0 || iterationsThisCall < StopAfterIterations) && !cancel.IsCancellationRequested)
                {
                    // What a failure anywhere in this update falls back to: the state at its start.
                    consistent.Capture(algorithm, state);
                    var metrics = MetricRecord.WithStandardNames();
                    metrics["losses/skipped_update"] = 0;
                    var episodes = new List<EpisodeRecord>();
                    var collectTimer = Stopwatch.StartNew();
                    try
                    {
                        algorithm.Collect(env, episodes, metrics);
                    }
                    catch (Exception e) when (source.IsEnvironmentFailure(e))
                    {
                        log.Warn($"environment failed during update {state.Iteration + 1} ({e.Message}); replacing it and discarding the partial rollout");
                        env = ReplaceAndReset(algorithm, env, state, log);
                        continue;
                    }

                    collectTimer.Stop();
                    var learnTimer = Stopwatch.StartNew();
                    double progressFraction = (double)state.EnvSteps / config.TotalSteps;
                    bool learned = algorithm.Learn(progressFraction, metrics, out string? nonFinite);
                    AfterLearn?.Invoke(algorithm, state.Iteration + 1);
                    learnTimer.Stop();

                    state.Iteration++;
                    state.EnvSteps += algorithm.StepsPerIteration;
                    iterationsThisCall++;

                    if (!learned)
                    {
                        skippedTotal++;
                        skippedInARow++;
                        log.Warn($"update {state.Iteration} skipped: {nonFinite} is not finite; parameters and optimizer left as before the update");
                        if (skippedInARow >= MaxSkippedInARow)
                        {
                            Recover(ref algorithm, state, spec, device, log, $"{skippedInARow} updates in a row had non-finite tensors");
                            env = ResetEnvironments(algorithm, env, EnvSeed(state.Iteration), state, log);
                            skippedInARow = 0;
                        }
                    }
                    else
                    {
                        skippedInARow = 0;
                    }

                    metrics["iteration"] = state.Iteration;
                    metrics["charts/global_step"] = state.EnvSteps;
                    AddEpisodeMetrics(metrics, episodes);
                    double collectSeconds = collectTimer.Elapsed.TotalSeconds, learnSeconds = learnTimer.Elapsed.TotalSeconds;
                    metrics["charts/sps"] = algorithm.StepsPerIteration / Math.Max(collectSeconds + learnSeconds, 1e-9);
                    metrics["perf/collect_seconds"] = collectSeconds;
                    metrics["perf/learn_seconds"] = learnSeconds;
                    metrics["perf/learn_fraction"] = learnSeconds / Math.Max(collectSeconds + learnSeconds, 1e-9);
                    metrics["perf/wall_seconds"] = sinceStart.Elapsed.TotalSeconds;
                    metrics["perf/memory_rss_mb"] = Environment.WorkingSet / 1048576.0;
                    metrics["perf/managed_mb"] = GC.GetTotalMemory(false) / 1048576.0;
                    metrics["losses/skipped_updates_total"] = skippedTotal;
                    metrics["charts/recoveries"] = state.Recoveries;

                    if (learned && metrics.GetOrNaN("policy/log_std_min") < config.Monitoring.LogStdFloor)
                    {
                        metrics["policy/log_std_alarm"] = 1;
                        log.Warn($"update {state.Iteration}: log-std {metrics["policy/log_std_min"]:F2} is below the floor {config.Monitoring.LogStdFloor:F2}; exploration has nearly stopped");
                    }
                    else
                    {
                        metrics["policy/log_std_alarm"] = 0;
                    }

                    bool boundary = state.Iteration % config.Checkpoint.EveryUpdates == 0;
                    if (config.Evaluation.EveryUpdates > 0 && (state.Iteration % config.Evaluation.EveryUpdates == 0 || boundary))
                    {
                        lastEval = Evaluate(algorithm, ref env, state, log);
                        metrics["eval/return_mean"] = lastEval.MeanReturn;
                        metrics["eval/return_std"] = lastEval.StdReturn;
                        metrics["eval/length_mean"] = lastEval.MeanLength;
                        foreach (var (name, mean) in lastEval.Stats) metrics[$"eval/{name}"] = mean;
                        if (learned) HandleEvaluation(ref algorithm, state, spec, device, log, lastEval);
                    }

                    csv.Append(metrics);
                    tensorboard?.Write(metrics, state.EnvSteps);
                    progress.Update(state.EnvSteps, metrics);
                    OnUpdate?.Invoke(metrics);

                    if (boundary)
                    {
                        SaveCheckpoint(folder.LastCheckpoint, algorithm, state, spec);
                        savedAt = state.Iteration;
                        if (config.Checkpoint.KeepNumbered) File.Copy(folder.LastCheckpoint, folder.NumberedCheckpoint(state.Iteration), overwrite: true);
                        env = RejoinWorkers(env, log);
                        env = ResetEnvironments(algorithm, env, EnvSeed(state.Iteration), state, log);
                    }
                }

                bool finished = state.EnvSteps >= config.TotalSteps;
                // A boundary checkpoint was written before the environments were reseeded; keep it, it resumes exactly.
                if (savedAt != state.Iteration) SaveCheckpoint(folder.LastCheckpoint, algorithm, state, spec);
                if (cancel.IsCancellationRequested) log.Info($"stopped at update {state.Iteration}; continue with: robotics resume {folder.Root}");
                if (finished)
                {
                    SaveCheckpoint(folder.FinalPolicy, algorithm, state, spec);
                    double seconds = sinceStart.Elapsed.TotalSeconds;
                    log.Info($"finished: {state.Iteration} updates, {TrainingSummary.Steps(state.EnvSteps, config.TotalSteps)} in {seconds:F1} s ({(state.EnvSteps - stepsAtStart) / Math.Max(seconds, 1e-9):F0} steps/s), {TrainingSummary.BestEvaluation(state.BestEvalReturn)}");
                }
            }
            catch (Exception e) when (e is not TrainingAbortedException)
            {
                throw Abort(e, consistent, spec, log);
            }

            return new TrainingResult(folder.Root, state.Iteration, state.EnvSteps, state.BestEvalReturn, lastEval, state.Recoveries, skippedTotal);
        }
        finally
        {
            algorithm?.Dispose();
            evalEnv?.Dispose();
            evalEnv = null;
            env.Dispose();
            tensorboard?.Dispose();
            csv?.Dispose();
        }
    }

    /// <summary>
    /// Ends a run that failed mid-update: writes the state from the update's start to last.ckpt where the disk allows,
    /// the reason to train.log, and returns the one line that says what happened and how to continue.
    /// </summary>
    private TrainingAbortedException Abort(Exception error, ConsistentState consistent, EnvSpec spec, TrainingLog log)
    {
        string reason = FailureReason.Describe(error);
        string saved;
        if (consistent.State is null)
        {
            saved = "no update had finished, so there is nothing new to save";
        }
        else
        {
            try
            {
                SaveCheckpoint(folder.LastCheckpoint, consistent.State, consistent.Counters!, consistent.Rng!, spec);
                saved = $"saved the state before that update (update {consistent.Counters!.Iteration}, {consistent.Counters.EnvSteps} steps) to {folder.LastCheckpoint}";
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                saved = $"could not save a checkpoint either ({FailureReason.Describe(e)}); the newest one on disk is what a resume continues from";
            }
        }

        string line = $"training stopped during update {(consistent.Counters?.Iteration ?? 0) + 1}: {reason}; {saved}. Continue with: robotics resume {folder.Root}";
        try
        {
            log.Error(line);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // train.log is on the same full or read-only disk; the line still reaches the terminal below.
        }

        return new TrainingAbortedException(line, error);
    }

    /// <summary>Resets the environments; if they have died, replaces them first. Returns the environments in use.</summary>
    private IVectorEnv ResetEnvironments(IAlgorithm algorithm, IVectorEnv env, int seed, LoopState state, TrainingLog log)
    {
        try
        {
            algorithm.ResetEnvironments(env, seed);
            return env;
        }
        catch (Exception e) when (source.IsEnvironmentFailure(e))
        {
            log.Warn($"environment failed while resetting ({e.Message}); replacing it");
            return ReplaceAndReset(algorithm, env, state, log);
        }
    }

    /// <summary>
    /// Takes dropped bridges that answer again back in. The environments are reseeded right after, and where an
    /// environment runs does not change what it simulates, so the numbers are those of a run that never lost one.
    /// </summary>
    private IVectorEnv RejoinWorkers(IVectorEnv env, TrainingLog log)
    {
        IVectorEnv? joined;
        try
        {
            joined = source.Rejoin(env, config.NumEnvs);
        }
        catch (Exception e) when (source.IsEnvironmentFailure(e))
        {
            log.Warn($"taking dropped bridges back in failed ({e.Message}); going on without them");
            return env;
        }

        if (joined is null) return env;
        evalEnv?.Dispose();
        evalEnv = null;
        env.Dispose();
        log.Info($"environments now on {source.Description}");
        return joined;
    }

    private IVectorEnv ReplaceAndReset(IAlgorithm algorithm, IVectorEnv env, LoopState state, TrainingLog log)
    {
        const int attempts = 3;
        // The evaluation environments live on the same bridges; make them again when next needed.
        evalEnv?.Dispose();
        evalEnv = null;
        for (int attempt = 1; ; attempt++)
        {
            env = source.Replace(env, config.NumEnvs);
            try
            {
                // A replacement starts from a seed of its own: the lost rollout is not replayed.
                algorithm.ResetEnvironments(env, EnvSeed(state.Iteration) + 7919 * (++state.Replacements));
                log.Info($"environments replaced ({source.Description}); training goes on from update {state.Iteration + 1}");
                return env;
            }
            catch (Exception e) when (source.IsEnvironmentFailure(e) && attempt < attempts)
            {
                log.Warn($"replacement environments failed too ({e.Message}); trying again");
            }
        }
    }

    private int EnvSeed(int iteration) => unchecked(config.Seed + iteration * 10_007);

    private (IAlgorithm, RunCounters) LoadForResume(EnvSpec spec, torch.Device device, TrainingLog log)
    {
        if (!File.Exists(folder.LastCheckpoint) && folder.NumberedCheckpointsNewestFirst().Count == 0)
            throw new TrainingSetupException($"{folder.Root} has no checkpoints/last.ckpt to resume from");
        // A damaged last.ckpt falls back to the newest intact numbered checkpoint, saying so.
        string path = CheckpointFiles.NewestIntact([folder.LastCheckpoint, .. folder.NumberedCheckpointsNewestFirst()], log.Warn)
            ?? throw new TrainingSetupException($"{folder.Root} holds no intact checkpoint to resume from (checkpoints/last.ckpt and checkpoints/update_*.ckpt are damaged)");
        var (header, _, algorithm) = CheckpointFiles.Load(path, device, log.Warn);
        if (header.ObservationSize != spec.ObservationSize || header.ActionSize != spec.ActionSize || header.NumEnvs != spec.NumEnvs)
        {
            algorithm.Dispose();
            throw new TrainingSetupException($"the environments ({spec.NumEnvs} x obs {spec.ObservationSize}, act {spec.ActionSize}) do not match the checkpoint ({header.NumEnvs} x obs {header.ObservationSize}, act {header.ActionSize})");
        }

        RestoreRng(header.TorchRngState);
        return (algorithm, header.Counters);
    }

    /// <summary>Runs the deterministic policy on the evaluation environments (replacing the bridges once if they fail).</summary>
    private EvaluationResult Evaluate(IAlgorithm algorithm, ref IVectorEnv env, LoopState state, TrainingLog log)
    {
        try
        {
            evalEnv ??= source.CreateEvaluation(config.Evaluation.Episodes);
            return Evaluator.Run(algorithm, evalEnv, config.Seed + EvaluationSeedOffset);
        }
        catch (Exception e) when (source.IsEnvironmentFailure(e))
        {
            // The evaluation environments share the bridges: replace those, then evaluate once more.
            log.Warn($"evaluation environment failed at update {state.Iteration} ({e.Message}); replacing the environments");
            env = ReplaceAndReset(algorithm, env, state, log);
            evalEnv = source.CreateEvaluation(config.Evaluation.Episodes);
            return Evaluator.Run(algorithm, evalEnv, config.Seed + EvaluationSeedOffset);
        }
    }

    private void HandleEvaluation(ref IAlgorithm algorithm, LoopState state, EnvSpec spec, torch.Device device, TrainingLog log, EvaluationResult eval)
    {
        var options = config.Evaluation;
        if (double.IsNaN(state.BestEvalReturn) || eval.MeanReturn > state.BestEvalReturn)
        {
            state.BestEvalReturn = eval.MeanReturn;
            state.LowEvalStreak = 0;
            SaveCheckpoint(folder.BestCheckpoint, algorithm, state, spec);
            return;
        }

        double threshold = CollapseRule.Threshold(state.BestEvalReturn, state.InitialEvalReturn, options.CollapseFraction);
        state.LowEvalStreak = eval.MeanReturn < threshold ? state.LowEvalStreak + 1 : 0;
        if (options.CollapsePatience > 0 && state.LowEvalStreak >= options.CollapsePatience)
        {
            string basis = double.IsNaN(state.InitialEvalReturn)
                ? $"{options.CollapseFraction:P0} of the best {state.BestEvalReturn:F2}"
                : $"keeping {options.CollapseFraction:P0} of the gain from {state.InitialEvalReturn:F2} before training to the best {state.BestEvalReturn:F2}";
            Recover(ref algorithm, state, spec, device, log,
                $"evaluation return {eval.MeanReturn:F2} stayed below {threshold:F2} ({basis}) for {state.LowEvalStreak} evaluations");
        }
    }

    /// <summary>Reloads the best checkpoint (else the last) and lowers the learning rate; counters keep going.</summary>
    private void Recover(ref IAlgorithm algorithm, LoopState state, EnvSpec spec, torch.Device device, TrainingLog log, string why)
    {
        string? source = File.Exists(folder.BestCheckpoint) ? folder.BestCheckpoint
            : File.Exists(folder.LastCheckpoint) ? folder.LastCheckpoint : null;
        double scale = algorithm.LearningRateScale * config.Evaluation.RecoveryLrFactor;
        if (source is not null)
        {
            var (_, _, loaded) = CheckpointFiles.Load(source, device);
            algorithm.Dispose();
            algorithm = loaded;
        }

        algorithm.LearningRateScale = scale;
        state.Recoveries++;
        state.LowEvalStreak = 0;
        log.Warn($"recovery {state.Recoveries} at update {state.Iteration}: {why}; reloaded {(source is null ? "nothing (no checkpoint yet)" : Path.GetFileName(source))}, learning rate scale now {scale:G3}");
    }

    private void SaveCheckpoint(string path, IAlgorithm algorithm, LoopState state, EnvSpec spec) =>
        SaveCheckpoint(path, CheckpointFiles.StateBytes(algorithm), state.ToCounters(), SaveRng(), spec);

    private void SaveCheckpoint(string path, byte[] algorithmState, RunCounters counters, byte[] rng, EnvSpec spec)
    {
        var header = new CheckpointHeader
        {
            Algorithm = config.Algorithm,
            RunName = config.ResolvedRunName,
            Task = config.Task,
            ConfigYaml = TrainingConfigFile.ToYaml(config),
            ContractJson = spec.Contract.ToJson(),
            NumEnvs = spec.NumEnvs,
            ObservationSize = spec.ObservationSize,
            ActionSize = spec.ActionSize,
            ActionLow = spec.ActionLow,
            ActionHigh = spec.ActionHigh,
            ControlDt = spec.ControlDt,
            MaxEpisodeSteps = spec.MaxEpisodeSteps,
            Counters = counters,
            TorchRngState = rng,
        };
        CheckpointFiles.Save(path, header, algorithmState);
    }

    private static byte[] SaveRng()
    {
        using var state = torch.random.get_rng_state();
        return state.data<byte>().ToArray();
    }

    private static void RestoreRng(byte[] bytes)
    {
        if (bytes.Length == 0) return;
        using var state = torch.tensor(bytes, dtype: torch.uint8);
        torch.random.set_rng_state(state);
    }

    private static void AddEpisodeMetrics(MetricRecord m, List<EpisodeRecord> episodes)
    {
        m["charts/episodes"] = episodes.Count;
        if (episodes.Count == 0)
        {
            foreach (var name in new[] { "mean", "median", "min", "max", "std" }) m[$"charts/episode_return_{name}"] = double.NaN;
            m["charts/episode_length_mean"] = double.NaN;
            return;
        }

        var returns = episodes.Select(e => e.Return).OrderBy(r => r).ToArray();
        double mean = returns.Average();
        m["charts/episode_return_mean"] = mean;
        m["charts/episode_return_median"] = returns.Length % 2 == 1 ? returns[returns.Length / 2] : 0.5 * (returns[returns.Length / 2 - 1] + returns[returns.Length / 2]);
        m["charts/episode_return_min"] = returns[0];
        m["charts/episode_return_max"] = returns[^1];
        m["charts/episode_return_std"] = Math.Sqrt(returns.Sum(r => (r - mean) * (r - mean)) / returns.Length);
        m["charts/episode_length_mean"] = episodes.Average(e => e.Length);
        foreach (var (name, statMean) in EvaluationResult.StatMeans(episodes)) m[$"episode/{name}"] = statMean;
    }

    /// <summary>The algorithm's state, counters and RNG at the start of the update in progress.</summary>
    private sealed class ConsistentState
    {
        // One buffer reused every update: a new array of several MB per update would add collections of its own.
        private readonly MemoryStream buffer = new();

        public byte[]? State => Counters is null ? null : buffer.ToArray();
        public RunCounters? Counters { get; private set; }
        public byte[]? Rng { get; private set; }

        public void Capture(IAlgorithm algorithm, LoopState state)
        {
            buffer.SetLength(0);
            using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true)) algorithm.SaveState(writer);
            Counters = state.ToCounters();
            Rng = SaveRng();
        }
    }

    /// <summary>The counters while the loop runs.</summary>
    private sealed class LoopState(RunCounters start)
    {
        public int Iteration { get; set; } = start.Iteration;
        public long EnvSteps { get; set; } = start.EnvSteps;
        public double BestEvalReturn { get; set; } = start.BestEvalReturn;
        public double InitialEvalReturn { get; set; } = start.InitialEvalReturn;
        public int LowEvalStreak { get; set; } = start.LowEvalStreak;
        public int Recoveries { get; set; } = start.Recoveries;
        public int Replacements { get; set; }

        public RunCounters ToCounters() => new()
        {
            Iteration = Iteration,
            EnvSteps = EnvSteps,
            BestEvalReturn = BestEvalReturn,
            InitialEvalReturn = InitialEvalReturn,
            LowEvalStreak = LowEvalStreak,
            Recoveries = Recoveries,
        };
    }
}
