using Robotics.Training.Checkpoints;
using Robotics.Training.Environments;
using TorchSharp;

namespace Robotics.Training.Runner;

/// <summary>Evaluates the deterministic policy of a run folder or checkpoint on fresh environments of its task.</summary>
public static class CheckpointEvaluation
{
    /// <param name="source">Environments to use; null runs the checkpoint's task in this process.</param>
    /// <param name="note">Receives a line for each damaged checkpoint passed over and for an unchecked old one.</param>
    /// <param name="otherTask">The environments may run another task of the same robot, observations and actions (its name differs).</param>
    public static (string Checkpoint, CheckpointHeader Header, EvaluationResult Result) Run(
        string runDirOrCheckpoint, int episodes, int seed, IEnvironmentSource? source = null, Action<string>? note = null, bool otherTask = false)
    {
        string path = CheckpointFiles.Resolve(runDirOrCheckpoint, note);
        var (header, config, algorithm) = CheckpointFiles.Load(path, torch.CPU, note);
        using (algorithm)
        {
            torch.set_num_threads(config.TorchThreads);
            using var owned = source is null ? SimEnvironmentSource.ForTask(header.Task, threads: Environment.ProcessorCount, randomize: false) : null;
            using var env = (source ?? owned!).CreateEvaluation(episodes);
            RequireContract(header, env.Spec.Contract, otherTask);
            if (env.Spec.ObservationSize != header.ObservationSize || env.Spec.ActionSize != header.ActionSize)
                throw new TrainingSetupException($"the environments of {env.Spec.Contract.Task} have obs {env.Spec.ObservationSize}, actions {env.Spec.ActionSize}; the checkpoint expects {header.ObservationSize}, {header.ActionSize}");
            return (path, header, Evaluator.Run(algorithm, env, seed));
        }
    }

    /// <summary>
    /// Refuses environments whose contract is not the one the checkpoint's policy was trained with; with
    /// <paramref name="otherTask"/>, one that differs in the task's name alone is accepted (another task of the same
    /// robot, observations and actions), and a refusal names the differences.
    /// </summary>
    public static void RequireContract(CheckpointHeader header, Robotics.Contract.PolicyContract contract, bool otherTask = false)
    {
        var trained = Robotics.Contract.PolicyContract.FromJson(header.ContractJson);
        if ((otherTask ? contract with { Task = trained.Task } : contract).Hash == trained.Hash) return;
        var differences = Robotics.Runtime.Policy.ContractCheck.PolicyDifferences(trained, contract, compareTask: !otherTask);
        string what = differences.Count > 0 ? ": " + string.Join("; ", differences) : " (the action rate-of-change limit differs)";
        throw new TrainingSetupException(otherTask
            ? $"task '{contract.Task}' does not fit the policy trained on '{trained.Task}'{what}; a policy is evaluated on tasks of the same robot, observations and actions"
            : $"the task {header.Task} no longer matches the contract the policy was trained with{what}");
    }
}
