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
    /// Whether the critic's share of <see cref="Accumulate"/> runs on a second thread (by default where there is a
    /// second core); the numbers are the same either way.
    /// </summary>
    public bool CriticOnSecondThread { get; init; } = Environment.ProcessorCount > 1;

    /// <summary>
    /// Adds the gradient of pgLoss - entropyCoef * entropy + valueCoef * valueLoss to the parameters' <c>grad</c>,
    /// writes each sample's log-ratio (new - old log-probability, before the step) to <paramref name="logRatioOut"/>,
    /// and returns [policy loss, value loss, entropy]. The value network reads <paramref name="criticInputs"/> where it
    /// sees more than the policy (an asymmetric critic), else the observations.
    /// </summary>
    /// <remarks>
    /// The critic's part (its forward pass, the value loss and its backward pass) shares no parameter with the
    /// actor's, so on a machine with more than one core it runs on a second thread while the actor's runs on this one:
    /// during learning nothing else needs the cores. Each part runs the same operations in the same order on one
    /// thread whichever thread that is, so the numbers do not depend on it.
    /// </remarks>
    public float[] Accumulate(
        Tensor observations, Tensor actions, Tensor oldLogProbs, Tensor advantages, Tensor oldValues, Tensor returns, Tensor logRatioOut,
        Tensor? criticInputs = null)
    {
        var valueInputs = criticInputs ?? observations;
        // libtorch's intra-op thread count is the calling thread's own (OpenMP's setting is per thread): the second
        // thread takes this one's, or a kernel there could split its work, and round, otherwise.
        int threads = torch.get_num_threads();
        var critic = CriticOnSecondThread
            ? System.Threading.Tasks.Task.Run(() =>
            {
                torch.set_num_threads(threads);
                return CriticPart(valueInputs, oldValues, returns);
            })
            : null;
        float[] actorFigures;
        float valueLoss;
        try
        {
            actorFigures = ActorPart(observations, actions, oldLogProbs, advantages, logRatioOut);
        }
        finally
        {
            // The critic's thread reads the minibatch's tensors: wait for it before they can be freed.
            valueLoss = critic is null ? CriticPart(valueInputs, oldValues, returns) : critic.GetAwaiter().GetResult();
        }

        return [actorFigures[0], valueLoss, actorFigures[1]];
    }

    /// <summary>The actor's share: log-ratios, the clipped surrogate and the entropy bonus; returns [policy loss, entropy].</summary>
    private float[] ActorPart(Tensor observations, Tensor actions, Tensor oldLogProbs, Tensor advantages, Tensor logRatioOut)
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

        actor.Backward(dMean);
        return torch.stack([pgLoss, entropy]).cpu().data<float>().ToArray();
    }

    /// <summary>The critic's share: the value loss and its gradient; returns the value loss.</summary>
    private float CriticPart(Tensor observations, Tensor oldValues, Tensor returns)
    {
        // Its own scope and gradient mode: both belong to the thread, and this may run on another one.
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        long n = observations.shape[0];
        using var valueScale = (options.ValueCoef / n).ToScalar();

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

        critic.Backward(dValue.unsqueeze(1));
        return valueLoss.item<float>();
    }

    public void Dispose()
    {
        actor.Dispose();
        critic.Dispose();
    }
}
