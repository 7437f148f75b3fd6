using Robotics.Runtime.Policy;
using Robotics.Sim.Environments;
using Robotics.Training.Runner;

namespace Robotics.Training.Export;

/// <summary>
/// Evaluates an exported ONNX policy in simulation (sim-to-sim) exactly as <see cref="Evaluator"/>
/// evaluates a checkpoint: one deterministic episode per environment, environments seeded from the
/// same seed, so the two returns can be compared episode for episode.
/// </summary>
public static class OnnxPolicyEvaluator
{
    /// <summary>Runs <paramref name="modelPath"/> on <paramref name="env"/>; refuses when the model was trained for another contract.</summary>
    public static EvaluationResult Run(string modelPath, IVectorEnv env, int seed)
    {
        var spec = env.Spec;
        using var policy = OnnxPolicy.Load(modelPath, batch: spec.NumEnvs);
        var differences = ContractCheck.PolicyDifferences(policy.Metadata.Contract, spec.Contract);
        if (differences.Count > 0) throw new ContractMismatchException(differences);

        var step = new VectorStep(spec.NumEnvs, spec.ObservationSize);
        env.Reset(seed, step);
        var first = new EpisodeRecord?[spec.NumEnvs];
        int done = 0;
        int maxSteps = spec.MaxEpisodeSteps > 0 ? spec.MaxEpisodeSteps + 1 : 100_000;
        for (int t = 0; t < maxSteps && done < spec.NumEnvs; t++)
        {
            step.Observations.CopyTo(policy.Observation, 0);
            policy.Run();
            env.Step(policy.Actions, step);
            foreach (var episode in step.Episodes)
            {
                if (first[episode.Env] is not null) continue;
                first[episode.Env] = episode;
                done++;
            }
        }

        var episodes = first.Where(e => e is not null).Select(e => e!.Value).ToList();
        if (episodes.Count == 0)
            throw new InvalidOperationException($"no evaluation episode ended within {maxSteps} steps");
        return EvaluationResult.From(episodes);
    }
}
