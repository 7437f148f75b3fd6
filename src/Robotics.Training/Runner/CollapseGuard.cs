using Robotics.Contract.Environments;
using Robotics.Training.Algorithms;
using Robotics.Training.Checkpoints;
using Robotics.Training.Configuration;
using Robotics.Training.Monitoring;
using TorchSharp;

namespace Robotics.Training.Runner;

/// <summary>
/// Keeps the best policy and brings a run back from a collapse: an evaluation better than every earlier one is saved
/// as best.ckpt; evaluations that stay below <see cref="CollapseRule"/>'s threshold, or updates that keep meeting
/// non-finite tensors, reload the best checkpoint (else the last) with a lower learning rate.
/// </summary>
internal sealed class CollapseGuard(TrainingConfig config, RunFolder folder, RunCheckpoints checkpoints, torch.Device device, TrainingLog log)
{
    /// <summary>Updates in a row that met a non-finite tensor before the run is recovered.</summary>
    public const int MaxSkippedInARow = 3;

    /// <param name="saveBest">
    /// Writes best.ckpt when the evaluation is the best so far, given the counters as they now are; null: from
    /// <paramref name="algorithm"/> (an evaluation taken in later saves the state of the update it evaluated).
    /// </param>
    public void AfterEvaluation(ref IAlgorithm algorithm, LoopState state, EnvSpec spec, EvaluationResult eval, Action<LoopState>? saveBest = null)
    {
        var options = config.Evaluation;
        if (double.IsNaN(state.BestEvalReturn) || eval.MeanReturn > state.BestEvalReturn)
        {
            state.BestEvalReturn = eval.MeanReturn;
            state.LowEvalStreak = 0;
            if (saveBest is null) checkpoints.Save(folder.BestCheckpoint, algorithm, state, spec);
            else saveBest(state);
            return;
        }

        double threshold = CollapseRule.Threshold(state.BestEvalReturn, state.InitialEvalReturn, options.CollapseFraction);
        state.LowEvalStreak = eval.MeanReturn < threshold ? state.LowEvalStreak + 1 : 0;
        if (options.CollapsePatience > 0 && state.LowEvalStreak >= options.CollapsePatience)
        {
            string basis = double.IsNaN(state.InitialEvalReturn)
                ? $"{options.CollapseFraction:P0} of the best {state.BestEvalReturn:F2}"
                : $"keeping {options.CollapseFraction:P0} of the gain from {state.InitialEvalReturn:F2} before training to the best {state.BestEvalReturn:F2}";
            Recover(ref algorithm, state,
                $"evaluation return {eval.MeanReturn:F2} stayed below {threshold:F2} ({basis}) for {state.LowEvalStreak} evaluations");
        }
    }

    /// <summary>Reloads the best checkpoint (else the last) and lowers the learning rate; counters keep going.</summary>
    public void Recover(ref IAlgorithm algorithm, LoopState state, string why)
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
}
