using Robotics.Training.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace Robotics.Training.Policies;

/// <summary>
/// ELU (alpha 1) without libtorch's slow path. The negative branch, exp(z) - 1, is exactly -1 in float for every z
/// below about -17.3, but libtorch's vectorized expm1 passes through subnormal numbers below about -64 and costs
/// 2.4 times as much per element there. A walking policy's networks drift some pre-activations that far within a few
/// dozen updates, and from then on every forward pass, the hand-written backward's too, ran at about half speed
/// (docs/benchmarks.md, "Subnormal numbers in ELU"). Raising the pre-activations to -30 first leaves every output
/// the same bit for bit, and so every gradient that is taken from the output, as <see cref="MlpTape"/> takes it.
/// Autograd takes ELU's gradient from the input instead, so a graph keeps the plain ELU.
/// </summary>
public static class EluFloor
{
    /// <summary>Where pre-activations are raised to: far below -17.3, where the output stops changing, and far above -64.</summary>
    public const double Value = -30;

    private static readonly Scalar Floor = Value.ToScalar();

    /// <summary>ELU of <paramref name="z"/> in place (its pre-activations raised to the floor first).</summary>
    public static Tensor InPlace(Tensor z) => z.clamp_min_(Floor).elu_(FixedScalars.One, FixedScalars.One, FixedScalars.One);

    /// <summary>ELU of <paramref name="z"/> into a new tensor; under autograd the plain ELU, so that its gradient stays autograd's.</summary>
    public static Tensor Of(Tensor z) =>
        torch.is_grad_enabled() ? z.elu(FixedScalars.One, FixedScalars.One, FixedScalars.One) : InPlace(z.clamp_min(Floor));
}
