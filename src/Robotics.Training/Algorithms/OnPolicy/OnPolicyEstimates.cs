using Robotics.Training.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace Robotics.Training.Algorithms.OnPolicy;

/// <summary>The estimates every on-policy algorithm uses or reports: advantage normalization, approximate KL, explained variance.</summary>
public static class OnPolicyEstimates
{
    /// <summary>(A - mean) / (std + 1e-8) over the last dimension: the minibatch, or each row of [minibatches, size].</summary>
    public static Tensor NormalizeAdvantages(Tensor advantages) =>
        (advantages - advantages.mean([-1], keepdim: true)) / advantages.std(-1, keepdim: true).Plus(StdEpsilon);

    private static readonly Scalar StdEpsilon = 1e-8.ToScalar();

    /// <summary>
    /// Schulman's low-variance estimator of KL(old || new): mean((r - 1) - log r) over the last dimension
    /// (one figure per minibatch when given [minibatches, size]).
    /// </summary>
    public static Tensor ApproxKl(Tensor logRatio, Tensor ratio) => (ratio.sub(FixedScalars.One) - logRatio).mean([-1]);

    /// <summary>1 - Var(returns - values) / Var(returns); NaN when the returns do not vary.</summary>
    public static double ExplainedVariance(ReadOnlySpan<float> values, ReadOnlySpan<float> returns)
    {
        double varReturns = Variance(returns);
        if (varReturns == 0) return double.NaN;
        var residual = new float[returns.Length];
        for (int i = 0; i < residual.Length; i++) residual[i] = returns[i] - values[i];
        return 1 - Variance(residual) / varReturns;
    }

    private static double Variance(ReadOnlySpan<float> x)
    {
        double mean = 0;
        foreach (var v in x) mean += v;
        mean /= x.Length;
        double sum = 0;
        foreach (var v in x) sum += (v - mean) * (v - mean);
        return sum / x.Length;
    }
}
