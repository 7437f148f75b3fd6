using Robotics.Training.Tensors;
using static TorchSharp.torch;

namespace Robotics.Training.Algorithms.Trpo;

/// <summary>KL divergence between diagonal Gaussians, in closed form.</summary>
public static class GaussianKl
{
    /// <summary>
    /// Mean over the batch of KL(old || new) = sum over dimensions of
    /// log(sigma_new / sigma_old) + (sigma_old^2 + (mu_old - mu_new)^2) / (2 sigma_new^2) - 1/2.
    /// Means are [batch, act]; log-stds broadcast against them.
    /// </summary>
    public static Tensor Mean(Tensor oldMean, Tensor oldLogStd, Tensor newMean, Tensor newLogStd)
    {
        var oldVariance = oldLogStd.mul(FixedScalars.Two).exp();
        var newVariance = newLogStd.mul(FixedScalars.Two).exp();
        var perDimension = (newLogStd - oldLogStd).Plus(oldVariance.Plus((oldMean - newMean).Squared()) / newVariance.mul(FixedScalars.Two))
            .sub(FixedScalars.Half);
        return perDimension.sum(-1).mean();
    }
}
