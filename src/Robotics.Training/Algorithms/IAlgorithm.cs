using Robotics.Contract;
using Robotics.Contract.Environments;
using Robotics.Training.Monitoring;
using Robotics.Training.Policies;

namespace Robotics.Training.Algorithms;

/// <summary>
/// A training algorithm as the runner sees it: it gathers experience from a vector environment,
/// learns from it, acts deterministically, and saves and restores everything it owns.
/// The runner owns the environments, logging, evaluation and checkpoints.
/// </summary>
public interface IAlgorithm : IDisposable
{
    /// <summary>The key of the config's <c>algorithm:</c> entry (ppo, sac, ...).</summary>
    string Name { get; }

    /// <summary>Environment steps one iteration consumes (summed over environments).</summary>
    int StepsPerIteration { get; }

    /// <summary>Multiplies the configured learning rate; lowered by collapse recovery.</summary>
    double LearningRateScale { get; set; }

    /// <summary>Resets every environment with the seed and starts fresh episodes; any partial rollout is dropped.</summary>
    void ResetEnvironments(IVectorEnv env, int seed);

    /// <summary>Steps the environments for one iteration; finished episodes are reported to <paramref name="episodes"/>.</summary>
    void Collect(IVectorEnv env, List<EpisodeRecord> episodes, MetricRecord metrics);

    /// <summary>
    /// Learns from what <see cref="Collect"/> gathered. <paramref name="progress"/> in [0, 1] drives the
    /// learning-rate schedule. Returns false when the update was skipped because a tensor was not finite
    /// (parameters and optimizer are then as they were before it); the reason is in <paramref name="metrics"/>.
    /// </summary>
    bool Learn(double progress, MetricRecord metrics, out string? nonFiniteTensor);

    /// <summary>Deterministic actions in robot units for raw observations [batch, obs].</summary>
    float[] ActDeterministic(float[] observations, int batch);

    /// <summary>Names the first parameter that is not finite, or null when all are.</summary>
    string? FirstNonFiniteParameter();

    ExportablePolicy ToExportable(PolicyContract contract, string runName, long step);

    void SaveState(BinaryWriter writer);
    void LoadState(BinaryReader reader);
}
