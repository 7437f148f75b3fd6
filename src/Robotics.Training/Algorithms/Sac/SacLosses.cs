using Robotics.Training.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace Robotics.Training.Algorithms.Sac;

/// <summary>SAC's loss terms and target update as small functions of tensors, each checked against hand-computed cases.</summary>
public static class SacLosses
{
    /// <summary>
    /// The soft Bellman target y = r + gamma (1 - terminated) (min(Q1', Q2')(s', a') - alpha log pi(a'|s')).
    /// Only termination stops the bootstrap; a truncated transition bootstraps from its final observation.
    /// </summary>
    public static Tensor SoftTarget(Tensor rewards, Tensor terminated, Tensor nextMinQ, Tensor nextLogProb, Tensor alpha, double gamma)
    {
        using var discount = gamma.ToScalar();
        return rewards.Plus(terminated.SubtractedFrom(FixedScalars.One).mul(discount) * (nextMinQ - alpha * nextLogProb));
    }

    /// <summary>Mean squared error of one critic against the (constant) target.</summary>
    public static Tensor CriticLoss(Tensor q, Tensor target) => (q - target.detach()).Squared().mean();

    /// <summary>E[alpha log pi(a|s) - min(Q1, Q2)(s, a)] with a reparameterized a ~ pi(s).</summary>
    public static Tensor ActorLoss(Tensor logProb, Tensor minQ, Tensor alpha) => (alpha.detach() * logProb - minQ).mean();

    /// <summary>
    /// -E[log alpha (log pi(a|s) + target entropy)]: its gradient raises alpha when the entropy -log pi
    /// falls below the target and lowers it when above. Written on log alpha (Haarnoja et al. 2018, SAC v2).
    /// </summary>
    public static Tensor TemperatureLoss(Tensor logAlpha, Tensor logProb, double targetEntropy)
    {
        using var target = targetEntropy.ToScalar();
        return -(logAlpha * logProb.detach().Plus(target)).mean();
    }

    /// <summary>target = tau * source + (1 - tau) * target, parameter by parameter (both modules have the same layout).</summary>
    public static void PolyakUpdate(nn.Module source, nn.Module target, double tau)
    {
        using var noGrad = torch.no_grad();
        using var keep = (1 - tau).ToScalar();
        using var take = tau.ToScalar();
        foreach (var (s, t) in source.parameters().Zip(target.parameters()))
        {
            t.mul_(keep).add_(s, alpha: take);
        }
    }

    /// <summary>Copies every parameter of <paramref name="source"/> into <paramref name="target"/>.</summary>
    public static void HardUpdate(nn.Module source, nn.Module target) => PolyakUpdate(source, target, 1.0);
}
