using Robotics.Contract.Environments;
using Robotics.Runtime.Policy;
using Robotics.Training.Runner;

namespace Robotics.Training.Export;

/// <summary>
/// Evaluates an exported ONNX policy in simulation (sim-to-sim) exactly as <see cref="Evaluator"/>
/// evaluates a checkpoint: one deterministic episode per environment, environments seeded from the
/// same seed, so the two returns can be compared episode for episode.
/// </summary>
public static class OnnxPolicyEvaluator
{
    /// <summary>
    /// Runs <paramref name="modelPath"/> on <paramref name="env"/>; refuses when the model was trained for another contract
    /// (with <paramref name="otherTask"/>, one whose task alone has another name is accepted).
    /// </summary>
    public static EvaluationResult Run(string modelPath, IVectorEnv env, int seed, bool otherTask = false)
    {
        var spec = env.Spec;
        using var policy = OnnxPolicy.Load(modelPath, batch: spec.NumEnvs);
        var differences = ContractCheck.PolicyDifferences(policy.Metadata.Contract, spec.Contract, compareTask: !otherTask);
        if (differences.Count > 0) throw new ContractMismatchException(differences);

        return Evaluator.Run(env, seed, observations =>
        {
            observations.CopyTo(policy.Observation, 0);
            policy.Run();
            return policy.Actions;
        });
    }
}
