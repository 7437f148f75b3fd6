using Robotics.Contract.Environments;
using Robotics.Training.Algorithms;
using Robotics.Training.Checkpoints;
using Robotics.Training.Configuration;
using Robotics.Training.Monitoring;
using TorchSharp;

namespace Robotics.Training.Runner;

/// <summary>
/// A run's checkpoints: what goes in a checkpoint's header beside the algorithm's state, loading the newest intact
/// one to resume, and the state at the start of the update in progress that a failure falls back to.
/// </summary>
internal sealed class RunCheckpoints(TrainingConfig config, RunFolder folder)
{
    public void Save(string path, IAlgorithm algorithm, LoopState state, EnvSpec spec) =>
        Save(path, CheckpointFiles.StateBytes(algorithm), state.ToCounters(), SaveRng(), spec);

    public void Save(string path, byte[] algorithmState, RunCounters counters, byte[] rng, EnvSpec spec)
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
            CriticObservationSize = spec.CriticObservationSize,
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

    /// <summary>The algorithm and counters of the newest intact checkpoint (last.ckpt, else a numbered one), with torch's RNG restored.</summary>
    public (IAlgorithm, RunCounters) LoadForResume(EnvSpec spec, torch.Device device, TrainingLog log)
    {
        if (!File.Exists(folder.LastCheckpoint) && folder.NumberedCheckpointsNewestFirst().Count == 0)
            throw new TrainingSetupException($"{folder.Root} has no checkpoints/last.ckpt to resume from");
        // A damaged last.ckpt falls back to the newest intact numbered checkpoint, saying so.
        string path = CheckpointFiles.NewestIntact([folder.LastCheckpoint, .. folder.NumberedCheckpointsNewestFirst()], log.Warn)
            ?? throw new TrainingSetupException($"{folder.Root} holds no intact checkpoint to resume from (checkpoints/last.ckpt and checkpoints/update_*.ckpt are damaged)");
        var (header, _, algorithm) = CheckpointFiles.Load(path, device, log.Warn);
        if (header.ObservationSize != spec.ObservationSize || header.ActionSize != spec.ActionSize || header.NumEnvs != spec.NumEnvs
            || header.CriticObservationSize != spec.CriticObservationSize)
        {
            algorithm.Dispose();
            throw new TrainingSetupException(
                $"the environments ({spec.NumEnvs} x obs {spec.ObservationSize} + critic {spec.CriticObservationSize}, act {spec.ActionSize}) do not match the checkpoint " +
                $"({header.NumEnvs} x obs {header.ObservationSize} + critic {header.CriticObservationSize}, act {header.ActionSize}): was the task's file changed since the run began?");
        }

        RestoreRng(header.TorchRngState);
        return (algorithm, header.Counters);
    }

    /// <summary>
    /// Writes the state from the start of the failed update to last.ckpt where the disk allows; returns what was
    /// saved, in words, for the line that ends the run.
    /// </summary>
    public string SaveBeforeFailure(ConsistentState consistent, EnvSpec spec)
    {
        if (consistent.State is null) return "no update had finished, so there is nothing new to save";
        try
        {
            Save(folder.LastCheckpoint, consistent.State, consistent.Counters!, consistent.Rng!, spec);
            return $"saved the state before that update (update {consistent.Counters!.Iteration}, {consistent.Counters.EnvSteps} steps) to {folder.LastCheckpoint}";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"could not save a checkpoint either ({FailureReason.Describe(e)}); the newest one on disk is what a resume continues from";
        }
    }

    public static byte[] SaveRng()
    {
        using var state = torch.random.get_rng_state();
        return state.data<byte>().ToArray();
    }

    public static void RestoreRng(byte[] bytes)
    {
        if (bytes.Length == 0) return;
        using var state = torch.tensor(bytes, dtype: torch.uint8);
        torch.random.set_rng_state(state);
    }

    /// <summary>The algorithm's state, counters and RNG at the start of the update in progress.</summary>
    public sealed class ConsistentState
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
}
