using Robotics.Training.Environments;
using Robotics.Training.Normalization;
using TorchSharp;
using static TorchSharp.torch;

namespace Robotics.Training.Algorithms;

/// <summary>
/// Deterministic actions for evaluation, for every algorithm: raw observations are normalized with the running
/// statistics, passed through the policy's mean-only path (the one that is exported), and mapped to robot units.
/// </summary>
public sealed class DeterministicActing(ObservationNormalizer normalizer, ActionMapping actionMapping)
{
    /// <summary>Actions [batch, act] in robot units for raw <paramref name="observations"/> [batch, obs].</summary>
    /// <param name="meanOf">The policy's mean-only path for normalized observations (a host array of [batch, obs]).</param>
    public float[] Act(float[] observations, int batch, Func<float[], Tensor> meanOf)
    {
        var normalized = new float[observations.Length];
        normalizer.Normalize(observations, normalized);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var actions = meanOf(normalized).cpu().contiguous().data<float>().ToArray();
        var result = new float[batch * actionMapping.ActionSize];
        actionMapping.ToRobotUnits(actions, result);
        return result;
    }
}
