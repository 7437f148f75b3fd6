using Robotics.Training.Policies;
using Robotics.Training.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace Robotics.Training.Algorithms.Ppo;

/// <summary>
/// PPO's loss on one minibatch and its gradient with respect to every parameter of a
/// <see cref="GaussianActorCritic"/>, worked out by hand instead of by autograd (the same loss as
/// <see cref="PpoLosses"/>; tests hold the two to each other).
/// <para>
/// With z = (a - mu) / sigma, log pi = -0.5 sum z^2 - sum log sigma - const, so d log pi / d mu = z / sigma and
/// d log pi / d log sigma = z^2 - 1. The clipped surrogate mean(max(-A r, -A clip(r))) passes -A r / n to log pi
/// where -A r is the larger term (or the two are equal, inside the clip range) and nothing elsewhere; the
/// clipped value loss passes (V - R) / n where the unclipped square is the larger. The entropy of the
/// state-independent Gaussian is sum log sigma + const, so its bonus moves each log sigma by the coefficient.
/// </para>
/// </summary>
public sealed class PpoGradient : IDisposable
{
    private static readonly double HalfLog2Pi = 0.5 * Math.Log(2 * Math.PI);

    private readonly GaussianActorCritic policy;
    private readonly PpoOptions options;
    private readonly MlpTape actor;
    private readonly MlpTape critic;

    public PpoGradient(GaussianActorCritic policy, PpoOptions options)
    {
        this.policy = policy;
        this.options = options;
        actor = policy.ActorTape();
        critic = policy.CriticTape();
    }

    /// <summary>
    /// Adds the gradient of pgLoss - entropyCoef * entropy + valueCoef * valueLoss to the parameters' <c>grad</c>,
    /// writes each sample's log-ratio (new - old log-probability, before the step) to <paramref name="logRatioOut"/>,
    /// and returns [policy loss, value loss, entropy] as one tensor.
    /// </summary>
    public Tensor Accumulate(
        Tensor observations, Tensor actions, Tensor oldLogProbs, Tensor advantages, Tensor oldValues, Tensor returns, Tensor logRatioOut)
    {
        using var noGrad = torch.no_grad();
        long n = observations.shape[0];
        var logStd = policy.LogStd;
        long actionSize = logStd.shape[1];
        using var logProbConstant = (actionSize * HalfLog2Pi).ToScalar();
        using var clipLow = (1 - options.ClipCoef).ToScalar();
        using var clipHigh = (1 + options.ClipCoef).ToScalar();
        using var entropyCoef = options.EntropyCoef.ToScalar();
        using var entropyConstant = (actionSize * (0.5 + HalfLog2Pi)).ToScalar();
        using var valueScale = (options.ValueCoef / n).ToScalar();
        using var batchSize = n.ToScalar();

        // Log-probability of the actions under the current mean and spread, as a log-ratio to the rollout's.
        var mean = actor.Forward(observations);
        var invStd = logStd.neg().exp_();
        var z = (actions - mean).mul_(invStd);
        var zSquared = z.Squared();
        var sumLogStd = logStd.sum();
        var logRatio = zSquared.sum(1).mul_(FixedScalars.MinusHalf).sub_(oldLogProbs).sub_(sumLogStd.Plus(logProbConstant));
        logRatioOut.copy_(logRatio);
        var ratio = logRatio.exp_();

        // Clipped surrogate and d(loss)/d(log pi) per sample.
        var negativeAdvantages = advantages.neg();
        var unclipped = negativeAdvantages * ratio;
        var clipped = negativeAdvantages.mul_(ratio.clamp_(clipLow, clipHigh));
        var pgLoss = torch.maximum(unclipped, clipped).mean();
        var dLogProb = unclipped.mul_(unclipped >= clipped).div_(batchSize);

        // Into the mean network and the log-std.
        var dMean = z.mul_(invStd).mul_(dLogProb.unsqueeze(1));
        MlpTape.Gradient(logStd).addmm_(dLogProb.unsqueeze(0), zSquared.sub_(FixedScalars.One));
        if (options.EntropyCoef != 0) MlpTape.Gradient(logStd).sub_(entropyCoef);
        var entropy = sumLogStd.PlusInPlace(entropyConstant);

        // Value loss and d(loss)/dV.
        var values = critic.Forward(observations).squeeze(1);
        var error = values - returns;
        Tensor valueLoss, dValue;
        if (options.ClipValueLoss)
        {
            using var clipMin = (-options.ClipCoef).ToScalar();
            using var clipMax = options.ClipCoef.ToScalar();
            var clippedError = (values - oldValues).clamp_(clipMin, clipMax).PlusInPlace(oldValues).sub_(returns);
            var squared = error.Squared();
            var clippedSquared = clippedError.mul_(clippedError);
            valueLoss = torch.maximum(squared, clippedSquared).mean().mul_(FixedScalars.Half);
            dValue = error.mul_(squared >= clippedSquared).mul_(valueScale);
        }
        else
        {
            using var halfMean = (0.5 / n).ToScalar();
            valueLoss = error.dot(error).mul_(halfMean);
            dValue = error.mul_(valueScale);
        }

        actor.Backward(dMean);
        critic.Backward(dValue.unsqueeze(1));
        return torch.stack([pgLoss, valueLoss, entropy]);
    }

    public void Dispose()
    {
        actor.Dispose();
        critic.Dispose();
    }
}
