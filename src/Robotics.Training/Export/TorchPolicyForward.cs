using Robotics.Training.Policies;
using Robotics.Training.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace Robotics.Training.Export;

/// <summary>
/// The deterministic forward pass of an <see cref="ExportablePolicy"/> in TorchSharp (float32, CPU),
/// the same operations the training network runs: a second, independent reference for the export
/// check and the baseline of the inference benchmark. Owns its weight tensors.
/// </summary>
public sealed class TorchPolicyForward : IDisposable
{
    private readonly ExportablePolicy policy;
    private readonly Tensor mean;
    private readonly Tensor std;
    private readonly Tensor[] weights;
    private readonly Tensor[] biases;
    private readonly Tensor scale;
    private readonly Tensor offset;
    private readonly Tensor low;
    private readonly Tensor high;

    public TorchPolicyForward(ExportablePolicy policy)
    {
        this.policy = policy;
        int n = policy.ObservationSize;
        mean = tensor(policy.ObsMean, [n]);
        std = tensor(policy.ObsVar.Select(v => MathF.Sqrt(v + policy.ObsEpsilon)).ToArray(), [n]);
        weights = policy.Layers.Select(l => tensor(l.Weight, [l.Out, l.In])).ToArray();
        biases = policy.Layers.Select(l => tensor(l.Bias, [l.Out])).ToArray();
        var contract = policy.Contract;
        scale = tensor(contract.ActionScale.ToArray(), float64);
        offset = tensor(contract.ActionOffset.ToArray(), float64);
        low = tensor(contract.Robot.Actuators.Select(a => a.CommandMin).ToArray(), float64);
        high = tensor(contract.Robot.Actuators.Select(a => a.CommandMax).ToArray(), float64);
    }

    /// <summary>Row-major [batch, obs_dim] raw observations to [batch, act_dim] commands.</summary>
    public float[] Forward(float[] observations, int batch)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = tensor(observations, [batch, policy.ObservationSize]);
        return Run(x).data<float>().ToArray();
    }

    /// <summary>One observation into <paramref name="actions"/>, as a controller would call it.</summary>
    public void Forward(ReadOnlySpan<float> observation, Span<float> actions)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = tensor(observation.ToArray(), [1, policy.ObservationSize]);
        var result = Run(x).data<float>();
        for (int i = 0; i < actions.Length; i++) actions[i] = result[i];
    }

    private Tensor Run(Tensor x)
    {
        using var clipLow = (-policy.ObsClip).ToScalar();
        using var clipHigh = policy.ObsClip.ToScalar();
        var h = ((x - mean) / std).clamp(clipLow, clipHigh);
        for (int l = 0; l < weights.Length; l++)
        {
            h = nn.functional.linear(h, weights[l], biases[l]);
            if (l < weights.Length - 1)
            {
                h = policy.Activation switch
                {
                    "tanh" => h.tanh(),
                    "relu" => nn.functional.relu(h),
                    "elu" => h.elu(FixedScalars.One, FixedScalars.One, FixedScalars.One),
                    _ => throw new InvalidDataException($"unknown activation '{policy.Activation}'"),
                };
            }
        }

        var a = policy.Squash == "tanh" ? h.tanh() : h.clamp(FixedScalars.MinusOne, FixedScalars.One);
        var command = (a.to(float64) * scale).Plus(offset);
        return maximum(minimum(command, high), low).to(float32);
    }

    public void Dispose()
    {
        mean.Dispose();
        std.Dispose();
        foreach (var t in weights.Concat(biases)) t.Dispose();
        scale.Dispose();
        offset.Dispose();
        low.Dispose();
        high.Dispose();
    }
}
