using System.Diagnostics;
using Robotics.Contract.Environments;
using Robotics.Training.Algorithms;
using Robotics.Training.Checkpoints;
using Robotics.Training.Configuration;
using Robotics.Training.Environments;
using Robotics.Training.Monitoring;
using Robotics.Training.Tensors;
using TorchSharp;

namespace Robotics.Training.Runner;

/// <summary>How a run ended.</summary>
public sealed record TrainingResult(string RunDir, int Iterations, long EnvSteps, double BestEvalReturn, EvaluationResult? LastEvaluation, int Recoveries, int SkippedUpdates);

/// <summary>
/// A training run as a loop: collect, learn, log every metric, evaluate now and then, checkpoint at fixed
/// boundaries. The parts with a job of their own sit beside it: <see cref="EnvironmentSession"/> (the environments,
/// their seeds, replacement and rejoining), <see cref="CollapseGuard"/> (the best policy and recovery from a
/// collapse), <see cref="RunCheckpoints"/> (what a checkpoint holds, resuming, the state a failure falls back to) and
/// <see cref="BackgroundEvaluation"/> (an evaluation beside training, with the rows that wait for it).
/// Environments are reseeded at every checkpoint boundary, which makes a resumed run identical to an
/// uninterrupted one.
/// </summary>
public sealed class TrainingRunner
{
    private readonly TrainingConfig config;
    private readonly RunFolder folder;
    private readonly IEnvironmentSource source;

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
        HostAllocator.KeepFreedMemory();
        // The environments come first: a task or bridge that cannot start fails here, before the run folder exists,
        // so a failed start leaves nothing behind.
        using var environments = new EnvironmentSession(config, source, resume);
        TrainingLog log;
        try
        {
            folder.Create();
            log = new TrainingLog(folder.Log, progress.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TrainingSetupException($"cannot write the run folder {folder.Root}: {e.Message}");
        }

        using var _ = log;
        environments.LogTo(log);
        if (device.type == DeviceType.CPU)
            log.Info($"libtorch CPU kernels: {KernelChoice.Variable}={KernelChoice.Current() ?? "(unset: the widest the processor has)"}");
        var checkpoints = new RunCheckpoints(config, folder);
        var guard = new CollapseGuard(config, folder, checkpoints, device, log);
        IAlgorithm? algorithm = null;
        MetricsCsv? csv = null;
        TensorboardLog? tensorboard = null;
        try
        {
            csv = new MetricsCsv(folder.Metrics);
            tensorboard = config.Monitoring.Tensorboard ? new TensorboardLog(folder.Events) : null;
            var spec = environments.Spec;
            RunCounters counters;
            if (resume)
            {
                (algorithm, counters) = checkpoints.LoadForResume(spec, device, log);
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
                log.Info($"training {config.Task} with {config.Algorithm} on {config.Device}: {environments.Description}, run folder {folder.Root}");
                if (spec.CriticObservationSize > 0)
                    log.Info($"the value network sees {spec.CriticObservationSize} critic observations beside the {spec.ObservationSize} observations; the exported policy sees the observations only");
            }

            var state = new LoopState(counters);
            environments.Reset(algorithm, state.Iteration);
            int skippedInARow = 0, skippedTotal = 0, iterationsThisCall = 0;
            var klWatch = new KlWatch(config.Monitoring.KlAlarm);
            var logStdWatch = new LogStdWatch(config.Monitoring.LogStdFloor);
            EvaluationResult? lastEval = null;
            if (config.Evaluation.EveryUpdates > 0 && config.Evaluation.CollapsePatience > 0 && state.Iteration == 0 && double.IsNaN(state.InitialEvalReturn))
            {
                // Collapse detection measures returns from this zero point (CollapseRule).
                state.InitialEvalReturn = environments.Evaluate(algorithm, state.Iteration).MeanReturn;
                log.Info($"evaluation before training: return {state.InitialEvalReturn:F2}");
            }

            var sinceStart = Stopwatch.StartNew();
            long stepsAtStart = state.EnvSteps;

            int savedAt = -1;
            var consistent = new RunCheckpoints.ConsistentState();
            using var background = new BackgroundEvaluation(config, folder, checkpoints);
            var rows = csv;
            void Write(MetricRecord row, long envSteps)
            {
                rows.Append(row);
                tensorboard?.Write(row, envSteps);
                progress.Update(envSteps, row);
                OnUpdate?.Invoke(row);
            }
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
                    if (!environments.Collect(algorithm, episodes, metrics, state.Iteration)) continue;
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
                        if (skippedInARow >= CollapseGuard.MaxSkippedInARow)
                        {
                            guard.Recover(ref algorithm, state, $"{skippedInARow} updates in a row had non-finite tensors");
                            environments.Reset(algorithm, state.Iteration);
                            skippedInARow = 0;
                        }
                    }
                    else
                    {
                        skippedInARow = 0;
                    }

                    metrics["iteration"] = state.Iteration;
                    metrics["charts/global_step"] = state.EnvSteps;
                    UpdateMetrics.AddEpisodes(metrics, episodes);
                    UpdateMetrics.AddTiming(metrics, algorithm.StepsPerIteration, collectTimer.Elapsed.TotalSeconds, learnTimer.Elapsed.TotalSeconds, sinceStart.Elapsed.TotalSeconds);
                    metrics["losses/skipped_updates_total"] = skippedTotal;
                    metrics["charts/recoveries"] = state.Recoveries;

                    double logStdMin = metrics.GetOrNaN("policy/log_std_min");
                    metrics["policy/log_std_alarm"] = learned && logStdWatch.IsBelow(logStdMin) ? 1 : 0;
                    if (learned && logStdWatch.Check(state.Iteration, logStdMin) is { } logStdWarning) log.Warn(logStdWarning);
                    if (learned && klWatch.Check(state.Iteration, metrics.GetOrNaN("losses/approx_kl")) is { } klWarning) log.Warn(klWarning);

                    bool boundary = state.Iteration % config.Checkpoint.EveryUpdates == 0;
                    if (config.Evaluation.EveryUpdates > 0 && (state.Iteration % config.Evaluation.EveryUpdates == 0 || boundary))
                    {
                        // The one in the background first: its results come before this update's, as without it.
                        if (background.Pending) lastEval = background.End(ref algorithm, state, spec, environments, guard, Write);
                        if (config.Evaluation.InBackground && learned && !boundary)
                        {
                            background.Begin(algorithm, state, spec, environments, device);
                        }
                        else
                        {
                            lastEval = environments.Evaluate(algorithm, state.Iteration);
                            AddEvaluation(metrics, lastEval);
                            if (learned) guard.AfterEvaluation(ref algorithm, state, spec, lastEval);
                        }
                    }

                    if (background.Pending) background.Hold(metrics, state.EnvSteps);
                    else Write(metrics, state.EnvSteps);

                    if (boundary)
                    {
                        checkpoints.Save(folder.LastCheckpoint, algorithm, state, spec);
                        savedAt = state.Iteration;
                        if (config.Checkpoint.KeepNumbered) File.Copy(folder.LastCheckpoint, folder.NumberedCheckpoint(state.Iteration), overwrite: true);
                        environments.Rejoin();
                        environments.Reset(algorithm, state.Iteration);
                    }
                }

                if (background.Pending) lastEval = background.End(ref algorithm, state, spec, environments, guard, Write);
                bool finished = state.EnvSteps >= config.TotalSteps;
                // A boundary checkpoint was written before the environments were reseeded; keep it, it resumes exactly.
                if (savedAt != state.Iteration) checkpoints.Save(folder.LastCheckpoint, algorithm, state, spec);
                if (cancel.IsCancellationRequested) log.Info($"stopped at update {state.Iteration}; continue with: robotics resume {folder.Root}");
                if (finished)
                {
                    checkpoints.Save(folder.FinalPolicy, algorithm, state, spec);
                    double seconds = sinceStart.Elapsed.TotalSeconds;
                    log.Info($"finished: {state.Iteration} updates, {TrainingSummary.Steps(state.EnvSteps, config.TotalSteps)} in {seconds:F1} s ({(state.EnvSteps - stepsAtStart) / Math.Max(seconds, 1e-9):F0} steps/s), {TrainingSummary.BestEvaluation(state.BestEvalReturn)}");
                }
            }
            catch (Exception e) when (e is not TrainingAbortedException)
            {
                // Updates that waited for a background evaluation are written without it: their numbers are kept.
                environments.AbandonEvaluate();
                background.Abandon(Write);
                throw Abort(e, checkpoints.SaveBeforeFailure(consistent, spec), consistent, log);
            }

            return new TrainingResult(folder.Root, state.Iteration, state.EnvSteps, state.BestEvalReturn, lastEval, state.Recoveries, skippedTotal);
        }
        finally
        {
            algorithm?.Dispose();
            tensorboard?.Dispose();
            csv?.Dispose();
        }
    }

    /// <summary>An evaluation's figures in the metrics row of the update it evaluated.</summary>
    internal static void AddEvaluation(MetricRecord metrics, EvaluationResult eval)
    {
        metrics["eval/return_mean"] = eval.MeanReturn;
        metrics["eval/return_std"] = eval.StdReturn;
        metrics["eval/length_mean"] = eval.MeanLength;
        foreach (var (name, mean) in eval.Stats) metrics[$"eval/{name}"] = mean;
    }

    /// <summary>
    /// Ends a run that failed mid-update, after the state from the update's start was saved where the disk allows:
    /// the reason to train.log, and the one line that says what happened and how to continue.
    /// </summary>
    private TrainingAbortedException Abort(Exception error, string saved, RunCheckpoints.ConsistentState consistent, TrainingLog log)
    {
        string reason = FailureReason.Describe(error);
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
}
