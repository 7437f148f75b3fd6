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
            evalEnv ??= source.CreateEvaluation(config.Evaluation.Episodes);
            return Evaluator.Run(algorithm, evalEnv, config.Seed + EvaluationSeedOffset);
        }
        catch (Exception e) when (source.IsEnvironmentFailure(e))
        {
            // The evaluation environments share the bridges: replace those, then evaluate once more.
            log?.Warn($"evaluation environment failed at update {iteration} ({e.Message}); replacing the environments");
            ReplaceAndReset(algorithm, iteration);
            evalEnv = source.CreateEvaluation(config.Evaluation.Episodes);
            return Evaluator.Run(algorithm, evalEnv, config.Seed + EvaluationSeedOffset);
        }
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

    private void DropEvaluation()
    {
        evalEnv?.Dispose();
        evalEnv = null;
    }

    public void Dispose()
    {
        DropEvaluation();
        env.Dispose();
    }
}
