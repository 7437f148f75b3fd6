using Robotics.Contract.Environments;
using Robotics.Training.Algorithms;
using Robotics.Training.Checkpoints;
using Robotics.Training.Configuration;
using Robotics.Training.Monitoring;
using TorchSharp;

namespace Robotics.Training.Runner;

/// <summary>
/// An evaluation that runs beside training (<c>evaluation.in_background</c>): a copy of the policy of the update it
/// evaluates, that update's state for best.ckpt, and the metrics rows of the updates since, written once its
/// results are in. So the evaluation's figures stay in the row of the update it evaluated, rows keep their order,
/// and best.ckpt holds the same state as when training waits for the evaluation.
/// </summary>
internal sealed class BackgroundEvaluation(TrainingConfig config, RunFolder folder, RunCheckpoints checkpoints) : IDisposable
{
    private readonly List<(MetricRecord Row, long EnvSteps)> held = [];
    private IAlgorithm? snapshot;
    private byte[] state = [];
    private RunCounters counters = new();
    private byte[] rng = [];

    public bool Pending => snapshot is not null;

    /// <summary>Starts evaluating the policy of <paramref name="algorithm"/> as it is now; hold this update's row next.</summary>
    public void Begin(IAlgorithm algorithm, LoopState loop, EnvSpec spec, EnvironmentSession environments, torch.Device device)
    {
        if (Pending) throw new InvalidOperationException("an evaluation is already running in the background");
        state = CheckpointFiles.StateBytes(algorithm);
        counters = loop.ToCounters();
        rng = RunCheckpoints.SaveRng();
        IAlgorithm copy;
        try
        {
            copy = CheckpointFiles.FromState(config, spec, device, new MemoryStream(state, writable: false));
        }
        finally
        {
            // Making an algorithm draws initial weights from torch's generator: put it back, so training draws what it would have.
            RunCheckpoints.RestoreRng(rng);
        }

        try
        {
            environments.BeginEvaluate(copy, loop.Iteration);
        }
        catch
        {
            copy.Dispose();
            throw;
        }

        snapshot = copy;
    }

    /// <summary>Keeps an update's row until the evaluation is in.</summary>
    public void Hold(MetricRecord row, long envSteps) => held.Add((row, envSteps));

    /// <summary>
    /// Takes the evaluation's results in (waiting for them if needed): its figures into the row of the update it
    /// evaluated, the collapse guard (best.ckpt from that update's state), then every held row to <paramref name="write"/>.
    /// </summary>
    public EvaluationResult End(ref IAlgorithm algorithm, LoopState loop, EnvSpec spec, EnvironmentSession environments, CollapseGuard guard,
        Action<MetricRecord, long> write)
    {
        var result = environments.EndEvaluate(algorithm, loop.Iteration);
        TrainingRunner.AddEvaluation(held[0].Row, result);
        guard.AfterEvaluation(ref algorithm, loop, spec, result, best => checkpoints.Save(folder.BestCheckpoint, state,
            counters with { BestEvalReturn = best.BestEvalReturn, LowEvalStreak = best.LowEvalStreak }, rng, spec));
        Flush(write);
        return result;
    }

    /// <summary>Writes the held rows without the evaluation (the run stopped on an error before it was in).</summary>
    public void Abandon(Action<MetricRecord, long> write)
    {
        if (!Pending) return;
        try
        {
            Flush(write);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The disk that failed the run fails these rows too; the error that ends the run says what happened.
        }
    }

    private void Flush(Action<MetricRecord, long> write)
    {
        var rows = held.ToList();
        held.Clear();
        Release();
        foreach (var (row, envSteps) in rows) write(row, envSteps);
    }

    private void Release()
    {
        snapshot?.Dispose();
        snapshot = null;
        state = [];
        rng = [];
    }

    public void Dispose() => Release();
}
