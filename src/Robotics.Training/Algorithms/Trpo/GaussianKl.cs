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
        var oldVariance = (2 * oldLogStd).exp();
        var newVariance = (2 * newLogStd).exp();
        var perDimension = newLogStd - oldLogStd + (oldVariance + (oldMean - newMean).pow(2)) / (2 * newVariance) - 0.5;
        return perDimension.sum(-1).mean();
    }
}
