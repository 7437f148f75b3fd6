using Robotics.Training.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace Robotics.Training.Algorithms.Ppo;

/// <summary>The terms of PPO's loss, each a small function of tensors so that each can be checked by hand.</summary>
public static class PpoLosses
{
    /// <summary>Clipped surrogate: mean over the batch of max(-A r, -A clamp(r, 1 - eps, 1 + eps)).</summary>
    public static Tensor PolicyLoss(Tensor advantages, Tensor ratio, double clipCoef)
    {
        using var low = (1 - clipCoef).ToScalar();
        using var high = (1 + clipCoef).ToScalar();
        var negativeAdvantages = -advantages;
        var pgLoss1 = negativeAdvantages * ratio;
        var pgLoss2 = negativeAdvantages * ratio.clamp(low, high);
        return torch.maximum(pgLoss1, pgLoss2).mean();
    }

    /// <summary>
    /// 0.5 * mean((V - R)^2); when clipped, 0.5 * mean(max((V - R)^2, (V_old + clamp(V - V_old, -eps, eps) - R)^2)).
    /// </summary>
    public static Tensor ValueLoss(Tensor newValues, Tensor oldValues, Tensor returns, double clipCoef, bool clip)
    {
        // mse_loss is mean((V - R)^2) as one autograd node.
        if (!clip) return torch.nn.functional.mse_loss(newValues, returns).mul(FixedScalars.Half);
        using var low = (-clipCoef).ToScalar();
        using var high = clipCoef.ToScalar();
        var unclipped = (newValues - returns).Squared();
        var clippedValues = oldValues.Plus((newValues - oldValues).clamp(low, high));
        var clipped = (clippedValues - returns).Squared();
        return torch.maximum(unclipped, clipped).mean().mul(FixedScalars.Half);
    }

    /// <summary>
    /// Schulman's low-variance estimator of KL(old || new): mean((r - 1) - log r) over the last dimension
    /// (one figure per minibatch when given [minibatches, size]).
    /// </summary>
    public static Tensor ApproxKl(Tensor logRatio, Tensor ratio) => (ratio.sub(FixedScalars.One) - logRatio).mean([-1]);

    /// <summary>Fraction of samples whose ratio left [1 - eps, 1 + eps], over the last dimension.</summary>
    public static Tensor ClipFraction(Tensor ratio, double clipCoef)
    {
        using var limit = clipCoef.ToScalar();
        return ratio.sub(FixedScalars.One).abs().gt(limit).to(float32).mean([-1]);
    }

    /// <summary>(A - mean) / (std + 1e-8) over the last dimension: the minibatch, or each row of [minibatches, size].</summary>
    public static Tensor NormalizeAdvantages(Tensor advantages) =>
        (advantages - advantages.mean([-1], keepdim: true)) / advantages.std(-1, keepdim: true).Plus(StdEpsilon);

    private static readonly Scalar StdEpsilon = 1e-8.ToScalar();

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
