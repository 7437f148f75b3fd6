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

    /// <summary>Fraction of samples whose ratio left [1 - eps, 1 + eps], over the last dimension.</summary>
    public static Tensor ClipFraction(Tensor ratio, double clipCoef)
    {
        using var limit = clipCoef.ToScalar();
        return ratio.sub(FixedScalars.One).abs().gt(limit).to(float32).mean([-1]);
    }
}
