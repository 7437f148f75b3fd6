using System.Runtime.ExceptionServices;
using Robotics.Contract.Environments;
using Robotics.Training.Algorithms;
using Robotics.Training.Configuration;
using Robotics.Training.Environments;
using Robotics.Training.Monitoring;

namespace Robotics.Training.Runner;

/// <summary>
/// The run's environments: the training vector and the evaluation one, where they come from (<see cref="IEnvironmentSource"/>),
/// their seeds, and what happens when they fail (replaced, reseeded, the partial rollout dropped) or when bridges
/// dropped earlier answer again. The runner goes through it for every reset, collection and evaluation; the
/// algorithm steps the vector it is handed during those calls and keeps no reference to it.
/// </summary>
internal sealed class EnvironmentSession : IDisposable
{
    private const int EvaluationSeedOffset = 1_000_000;
    private const int ReplacementAttempts = 3;

    private readonly TrainingConfig config;
    private readonly IEnvironmentSource source;
    private IVectorEnv env;
    private IVectorEnv? evalEnv;
    private TrainingLog? log;
    private int replacements;
    private RunningEvaluation? background;

    /// <summary>
    /// Makes the training environments; a task or bridge that cannot start fails here, before anything is written.
    /// A resumed run goes on with the bridges that answer (some may have been dropped before it stopped).
    /// </summary>
    public EnvironmentSession(TrainingConfig config, IEnvironmentSource source, bool resume)
    {
        this.config = config;
        this.source = source;
        env = resume ? source.CreateTrainingWithSurvivors(config.NumEnvs) : source.CreateTraining(config.NumEnvs);
    }

    public EnvSpec Spec => env.Spec;

    public string Description => source.Description;

    /// <summary>Where replacements and rejoins are reported, once the run folder exists.</summary>
    public void LogTo(TrainingLog trainingLog) => log = trainingLog;

    /// <summary>The environments' seed after update <paramref name="iteration"/>; a resumed run reseeds with the same.</summary>
    public int SeedAfter(int iteration) => unchecked(config.Seed + iteration * 10_007);

    /// <summary>Resets the environments with the seed for <paramref name="iteration"/>; if they have died, replaces them first.</summary>
    public void Reset(IAlgorithm algorithm, int iteration)
    {
        try
        {
            algorithm.ResetEnvironments(env, SeedAfter(iteration));
        }
        catch (Exception e) when (source.IsEnvironmentFailure(e))
        {
            log?.Warn($"environment failed while resetting ({e.Message}); replacing it");
            ReplaceAndReset(algorithm, iteration);
        }
    }

    /// <summary>
    /// One update's rollout. False when the environments failed during it: they are replaced and reseeded, and the
    /// partial rollout is discarded.
    /// </summary>
    public bool Collect(IAlgorithm algorithm, List<EpisodeRecord> episodes, MetricRecord metrics, int iteration)
    {
        try
        {
            algorithm.Collect(env, episodes, metrics);
            return true;
        }
        catch (Exception e) when (source.IsEnvironmentFailure(e))
        {
            log?.Warn($"environment failed during update {iteration + 1} ({e.Message}); replacing it and discarding the partial rollout");
            ReplaceAndReset(algorithm, iteration);
            return false;
        }
    }

    /// <summary>Runs the deterministic policy on the evaluation environments (replacing the bridges once if they fail).</summary>
    public EvaluationResult Evaluate(IAlgorithm algorithm, int iteration)
    {
        try
        {
            return EvaluateOnce(algorithm);
        }
        catch (Exception e) when (source.IsEnvironmentFailure(e))
        {
            // The evaluation environments share the bridges: replace those, then evaluate once more.
            log?.Warn($"evaluation environment failed at update {iteration} ({e.Message}); replacing the environments");
            ReplaceAndReset(algorithm, iteration);
            return EvaluateOnce(algorithm);
        }
    }

    /// <summary>
    /// Starts evaluating <paramref name="snapshot"/> (a copy of the policy of update <paramref name="iteration"/>
    /// that nothing else touches) on the evaluation environments, on a thread of its own, while training goes on.
    /// Take the result with <see cref="EndEvaluate"/>; the session waits for it before it replaces, rejoins or
    /// disposes environments.
    /// </summary>
    public void BeginEvaluate(IAlgorithm snapshot, int iteration)
    {
        if (background is not null) throw new InvalidOperationException("an evaluation is already running in the background");
        var env = EvaluationEnvironments();
        int threads = config.TorchThreads;
        var task = Task.Factory.StartNew(() =>
        {
            // libtorch's intra-op thread count belongs to each thread: the same as the trainer's, so the same sums.
            TorchSharp.torch.set_num_threads(threads);
            return Evaluator.Run(snapshot, env, EvaluationSeed);
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        background = new RunningEvaluation(snapshot, iteration, task);
    }

    /// <summary>
    /// The result of the evaluation begun with <see cref="BeginEvaluate"/>, waiting for it if needed. If its
    /// environments failed (or were replaced under it), the bridges are replaced and it is evaluated again here.
    /// </summary>
    public EvaluationResult EndEvaluate(IAlgorithm algorithm, int iteration)
    {
        var pending = background ?? throw new InvalidOperationException("no evaluation is running in the background");
        background = null;
        Exception? failure = Settle(pending);
        if (failure is null) return pending.Task.Result;
        if (!source.IsEnvironmentFailure(failure)) ExceptionDispatchInfo.Throw(failure);
        // The evaluation environments share the bridges: replace those (unless training already did), then evaluate once more.
        log?.Warn($"evaluation environment failed during the background evaluation of update {pending.Iteration} ({failure.Message}); {(pending.Replaced ? "" : "replacing the environments and ")}evaluating again");
        if (!pending.Replaced) ReplaceAndReset(algorithm, iteration);
        return EvaluateOnce(pending.Snapshot);
    }

    /// <summary>Waits for a background evaluation without taking its result (a run that stops on an error).</summary>
    public void AbandonEvaluate()
    {
        if (background is { } pending) Settle(pending);
        background = null;
    }

    /// <summary>
    /// Takes dropped bridges that answer again back in. Call it where the environments are reseeded next: where an
    /// environment runs does not change what it simulates, so the numbers are those of a run that never lost one.
    /// </summary>
    public void Rejoin()
    {
        IVectorEnv? joined;
        try
        {
            joined = source.Rejoin(env, config.NumEnvs);
        }
        catch (Exception e) when (source.IsEnvironmentFailure(e))
        {
            log?.Warn($"taking dropped bridges back in failed ({e.Message}); going on without them");
            return;
        }

        if (joined is null) return;
        DropEvaluation();
        env.Dispose();
        env = joined;
        log?.Info($"environments now on {source.Description}");
    }

    private void ReplaceAndReset(IAlgorithm algorithm, int iteration)
    {
        // The evaluation environments live on the same bridges; make them again when next needed.
        DropEvaluation();
        for (int attempt = 1; ; attempt++)
        {
            env = source.Replace(env, config.NumEnvs);
            try
            {
                // A replacement starts from a seed of its own: the lost rollout is not replayed.
                algorithm.ResetEnvironments(env, SeedAfter(iteration) + 7919 * (++replacements));
                log?.Info($"environments replaced ({source.Description}); training goes on from update {iteration + 1}");
                return;
            }
            catch (Exception e) when (source.IsEnvironmentFailure(e) && attempt < ReplacementAttempts)
            {
                log?.Warn($"replacement environments failed too ({e.Message}); trying again");
            }
        }
    }

    private int EvaluationSeed => config.Seed + EvaluationSeedOffset;

    /// <summary>The evaluation environments, made on first use and again after the bridges were replaced.</summary>
    private IVectorEnv EvaluationEnvironments() => evalEnv ??= source.CreateEvaluation(config.Evaluation.Episodes);

    /// <summary>One evaluation of <paramref name="policy"/>'s deterministic actions on the evaluation environments.</summary>
    private EvaluationResult EvaluateOnce(IAlgorithm policy) => Evaluator.Run(policy, EvaluationEnvironments(), EvaluationSeed);

    private void DropEvaluation()
    {
        if (background is { } pending)
        {
            // Its environments are about to go: let it finish first. If it failed, it is evaluated again when taken.
            pending.Replaced = Settle(pending) is not null;
        }

        evalEnv?.Dispose();
        evalEnv = null;
    }

    /// <summary>Waits for a background evaluation to end; its error, if it had one.</summary>
    private static Exception? Settle(RunningEvaluation pending)
    {
        try
        {
            pending.Task.Wait();
            return null;
        }
        catch (AggregateException e)
        {
            return e.InnerException ?? e;
        }
    }

    public void Dispose()
    {
        AbandonEvaluate();
        DropEvaluation();
        env.Dispose();
    }

    private sealed class RunningEvaluation(IAlgorithm snapshot, int iteration, Task<EvaluationResult> task)
    {
        public IAlgorithm Snapshot { get; } = snapshot;
        public int Iteration { get; } = iteration;
        public Task<EvaluationResult> Task { get; } = task;

        /// <summary>It failed and the environments have been replaced since: only the evaluation is left to do again.</summary>
        public bool Replaced { get; set; }
    }
}
