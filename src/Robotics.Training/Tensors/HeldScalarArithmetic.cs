using System.Reflection;
using TorchSharp;
using static TorchSharp.torch;

namespace Robotics.Training.Tensors;

/// <summary>
/// The few TorchSharp operations whose plain form makes a <see cref="Scalar"/> implicitly inside TorchSharp
/// (<c>a + b</c> is <c>a.add(b, 1)</c>, <c>square()</c> is <c>pow(2)</c>, <c>ToDouble()</c> reads the item through a
/// Scalar), written once with held Scalars. Each computes exactly what the plain form computes.
/// </summary>
public static class HeldScalarArithmetic
{
    /// <summary>a + b.</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, FixedScalars.One);

    /// <summary>a + s.</summary>
    public static Tensor Plus(this Tensor a, Scalar s) => a.add(s, FixedScalars.One);

    /// <summary>a += b, in place.</summary>
    public static Tensor PlusInPlace(this Tensor a, Tensor b) => a.add_(b, FixedScalars.One);

    /// <summary>a += s, in place.</summary>
    public static Tensor PlusInPlace(this Tensor a, Scalar s) => a.add_(s, FixedScalars.One);

    /// <summary>s - a (what TorchSharp's <c>s - a</c> computes: -a + s).</summary>
    public static Tensor SubtractedFrom(this Tensor a, Scalar s) => a.negative().add(s, FixedScalars.One);

    /// <summary>a^2 elementwise.</summary>
    public static Tensor Squared(this Tensor a) => a.pow(FixedScalars.Two);

    /// <summary>
    /// softplus(x) = log(1 + exp(beta x)) / beta, x itself where beta x exceeds the threshold. TorchSharp 0.107 keeps
    /// its Scalar overload internal and its public one makes both Scalars implicitly, so the internal one is bound
    /// once here (the same native kernel and backward; a test checks that the binding exists).
    /// </summary>
    public static Tensor Softplus(this Tensor x, Scalar beta, Scalar threshold) => SoftplusWithScalars(x, beta, threshold);

    private static readonly Func<Tensor, Scalar, Scalar, Tensor> SoftplusWithScalars =
        typeof(Tensor).GetMethod("softplus1", BindingFlags.Instance | BindingFlags.NonPublic, [typeof(Scalar), typeof(Scalar)])
            ?.CreateDelegate<Func<Tensor, Scalar, Scalar, Tensor>>()
        ?? throw new MissingMethodException("TorchSharp's Tensor.softplus1(Scalar, Scalar) is gone: update HeldScalarArithmetic.Softplus for this TorchSharp version");

    /// <summary>The value of a one-element floating-point tensor as a double.</summary>
    public static double ToDoubleValue(this Tensor t) => t.dtype switch
    {
        ScalarType.Float32 => t.item<float>(),
        ScalarType.Float64 => t.item<double>(),
        _ => throw new ArgumentException($"expected a float32 or float64 tensor, got {t.dtype}", nameof(t)),
    };
}
