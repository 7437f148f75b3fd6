using Robotics.Training.Checkpoints;
using Robotics.Training.Environments;
using TorchSharp;

namespace Robotics.Training.Runner;

/// <summary>Evaluates the deterministic policy of a run folder or checkpoint on fresh environments of its task.</summary>
public static class CheckpointEvaluation
{
    /// <param name="source">Environments to use; null runs the checkpoint's task in this process.</param>
    /// <param name="note">Receives a line for each damaged checkpoint passed over and for an unchecked old one.</param>
    public static (string Checkpoint, CheckpointHeader Header, EvaluationResult Result) Run(string runDirOrCheckpoint, int episodes, int seed, IEnvironmentSource? source = null, Action<string>? note = null)
    {
        string path = CheckpointFiles.Resolve(runDirOrCheckpoint, note);
        var (header, config, algorithm) = CheckpointFiles.Load(path, torch.CPU, note);
        using (algorithm)
        {
            torch.set_num_threads(config.TorchThreads);
            using var owned = source is null ? SimEnvironmentSource.ForTask(header.Task, threads: Environment.ProcessorCount, randomize: false) : null;
            using var env = (source ?? owned!).CreateEvaluation(episodes);
            if (env.Spec.ObservationSize != header.ObservationSize || env.Spec.ActionSize != header.ActionSize)
                throw new TrainingSetupException($"the environments of {header.Task} have obs {env.Spec.ObservationSize}, actions {env.Spec.ActionSize}; the checkpoint expects {header.ObservationSize}, {header.ActionSize}");
            RequireContract(header, env.Spec.Contract);
            return (path, header, Evaluator.Run(algorithm, env, seed));
        }
    }

    /// <summary>Refuses environments whose contract is not the one the checkpoint's policy was trained with.</summary>
    public static void RequireContract(CheckpointHeader header, Robotics.Contract.PolicyContract contract)
    {
        if (contract.Hash != Robotics.Contract.PolicyContract.FromJson(header.ContractJson).Hash)
            throw new TrainingSetupException($"the task {header.Task} no longer matches the contract the policy was trained with (robot, observation layout, action map or rate-of-change limit changed)");
    }
}
