using Robotics.Contract;

namespace Robotics.Training.Policies;

/// <summary>One fully connected layer: y = W x + b, with <see cref="Weight"/> row-major [Out, In].</summary>
public sealed record DenseLayer(int In, int Out, float[] Weight, float[] Bias);

/// <summary>
/// Everything the deterministic policy computes, in plain arrays, so that it can be written to
/// another format (ONNX) and checked against the trained network.
/// The computation, for one raw observation o:
///   z = clamp((o - ObsMean) / sqrt(ObsVar + ObsEpsilon), -ObsClip, ObsClip)
///   h = Activation(Layers[i](h)) for every layer but the last, which has no activation
///   a = clamp(h, -1, 1) when Squash is "clip", tanh(h) when it is "tanh"
///   command = clamp(ActionOffset + ActionScale * a, CommandMin, CommandMax) per actuator of the contract.
/// </summary>
public sealed record ExportablePolicy(
    PolicyContract Contract,
    string Algorithm,
    string RunName,
    long Step,
    float[] ObsMean,
    float[] ObsVar,
    float ObsClip,
    float ObsEpsilon,
    IReadOnlyList<DenseLayer> Layers,
    string Activation,
    string Squash)
{
    public int ObservationSize => ObsMean.Length;
    public int ActionSize => Layers[^1].Out;

    /// <summary>
    /// The deterministic policy on a row-major batch [batch, ObservationSize] of raw observations;
    /// returns row-major [batch, ActionSize] commands in the robot's units. Plain C#, the reference
    /// that an exported graph is compared with.
    /// </summary>
    public float[] ActDeterministic(float[] obsBatch, int batch) => ExportablePolicyMath.Act(this, obsBatch, batch);

    /// <summary>Reads the policy of a run folder (its best checkpoint, else the last) or of one checkpoint file.</summary>
    public static ExportablePolicy LoadForExport(string runDirOrCheckpoint) =>
        Checkpoints.CheckpointFiles.LoadExportable(runDirOrCheckpoint);
}
