using Robotics.Contract;
using Robotics.Contract.Environments;
using Robotics.Training.Algorithms.OnPolicy;
using Robotics.Training.Configuration;
using Robotics.Training.Monitoring;
using Robotics.Training.Policies;
using Robotics.Training.Tensors;
using Robotics.Training.Optimization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Robotics.Training.Algorithms.Trpo;

/// <summary>
/// Trust region policy optimization (Schulman et al. 2015) with GAE advantages: the policy moves along the
/// natural gradient F^-1 g (conjugate gradient on Fisher-vector products), scaled so the quadratic model of the
/// KL reaches max_kl, then backtracked until the surrogate improves and the measured KL is within max_kl.
/// The value network is fitted separately by minibatch regression on the GAE returns.
/// <see cref="OnPolicyAlgorithm.LearningRateScale"/> scales the trust-region radius and the value learning rate.
/// </summary>
public sealed class TrpoAlgorithm : OnPolicyAlgorithm
{
    private readonly TrpoOptions options;
    private readonly Adam valueOptimizer;
    private readonly List<Parameter> actorParameters;
    private readonly List<Parameter> criticParameters;

    public TrpoAlgorithm(TrainingConfig config, EnvSpec spec, Device device)
        : base(new OnPolicyCore(config, spec, device, config.Options<TrpoOptions>()))
    {
        options = config.Options<TrpoOptions>();
        actorParameters = Core.ActorParameters();
        criticParameters = Core.CriticParameters();
        valueOptimizer = optim.Adam(criticParameters, lr: options.ValueLearningRate, eps: 1e-5);
    }

    public override string Name => "trpo";
    protected override IReadOnlyList<OptimizerHelper> Optimizers => [valueOptimizer];

    public override bool Learn(double progress, MetricRecord metrics, out string? nonFiniteTensor)
    {
        Core.RequireFullRollout();
        Core.Storage.ComputeAdvantages(options.Gamma, options.GaeLambda);

        nonFiniteTensor = Core.UpdateOrUndo(() => Update(metrics), metrics, valueOptimizer);
        if (nonFiniteTensor is not null) return false;

        Core.WriteRolloutMetrics(metrics);
        metrics["charts/learning_rate"] = options.ValueLearningRate * LearningRateScale;
        return true;
    }

    /// <summary>The policy step, then the value step; returns the name of a non-finite tensor, or null.</summary>
    private string? Update(MetricRecord metrics)
    {
        using var scope = torch.NewDisposeScope();
        var (obs, actions, oldLogProbs) = Core.BatchTensors();
        var criticInputs = Core.BatchCriticInputs(obs);
        return PolicyStep(obs, criticInputs, actions, oldLogProbs, metrics) ?? ValueStep(criticInputs, metrics);
    }

    /// <summary>The natural-gradient step with its line search; returns the name of a non-finite tensor, or null.</summary>
    private string? PolicyStep(Tensor obs, Tensor criticInputs, Tensor actions, Tensor oldLogProbs, MetricRecord metrics)
    {
        double maxKl = options.MaxKl * LearningRateScale;
        var advantages = Core.ToDeviceVector(Core.Storage.Advantages);
        if (options.NormalizeAdvantages) advantages = OnPolicyEstimates.NormalizeAdvantages(advantages);

        Tensor oldMean, oldLogStd;
        using (torch.no_grad())
        {
            oldMean = Core.Policy.Mean(obs).detach();
            oldLogStd = Core.Policy.LogStd.detach().clone();
        }

        // Surrogate L(theta) = mean(pi_theta(a|s) / pi_old(a|s) * A); its gradient at theta_old is the policy gradient g.
        var (logProb, entropy, _) = Core.Policy.Evaluate(obs, actions, criticInputs);
        var surrogate = ((logProb - oldLogProbs).exp() * advantages).mean();
        double oldSurrogate = surrogate.ToDoubleValue();
        if (!double.IsFinite(oldSurrogate)) return "surrogate";
        var g = FlatParameters.Flatten(torch.autograd.grad([surrogate], actorParameters.Cast<Tensor>().ToList())).detach();
        double gradNorm = g.norm().ToDoubleValue();
        if (!double.IsFinite(gradNorm)) return "policy gradient";

        // Natural gradient direction x = F^-1 g, scaled so that 0.5 s^T F s = max_kl.
        using var fisher = new FisherVectorProduct(Core.Policy, actorParameters, obs, options.Damping);
        var (direction, cgResidual, cgIterations) = ConjugateGradient.Solve(fisher.Apply, g, options.CgIterations, options.CgTolerance);
        double quadratic = direction.dot(fisher.Apply(direction)).ToDoubleValue();
        if (!double.IsFinite(quadratic) || quadratic <= 0) return "natural gradient (x^T F x is not positive)";
        using var stepScale = Math.Sqrt(2 * maxKl / quadratic).ToScalar();
        var fullStep = direction.mul(stepScale);
        double expectedImprovement = g.dot(fullStep).ToDoubleValue();

        var oldParameters = FlatParameters.Get(actorParameters);
        (double, double) SurrogateAndKl(double fraction)
        {
            using var evalScope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            using var fractionScalar = fraction.ToScalar();
            FlatParameters.Set(actorParameters, oldParameters.Plus(fullStep.mul(fractionScalar)));
            var (newLogProb, _, _) = Core.Policy.Evaluate(obs, actions, criticInputs);
            double newSurrogate = ((newLogProb - oldLogProbs).exp() * advantages).mean().ToDoubleValue();
            double kl = GaussianKl.Mean(oldMean, oldLogStd, Core.Policy.Mean(obs), Core.Policy.LogStd).ToDoubleValue();
            return (newSurrogate, kl);
        }

        var search = TrpoLineSearch.Run(SurrogateAndKl, oldSurrogate, maxKl, options.LineSearchSteps, options.LineSearchShrink);
        using var acceptedFraction = search.Fraction.ToScalar();
        FlatParameters.Set(actorParameters, search.Accepted ? oldParameters.Plus(fullStep.mul(acceptedFraction)) : oldParameters);

        metrics["losses/policy_loss"] = -oldSurrogate;
        metrics["losses/entropy"] = entropy.mean().ToDoubleValue();
        metrics["losses/kl"] = search.Accepted ? search.Kl : 0.0;
        metrics["losses/approx_kl"] = search.Accepted ? search.Kl : 0.0;
        metrics["losses/grad_norm"] = gradNorm;
        metrics["trpo/line_search_steps"] = search.Steps;
        metrics["trpo/step_accepted"] = search.Accepted ? 1 : 0;
        metrics["trpo/step_fraction"] = search.Fraction;
        metrics["trpo/surrogate_improvement"] = search.Accepted ? search.Improvement : 0.0;
        metrics["trpo/expected_improvement"] = expectedImprovement;
        metrics["trpo/cg_residual"] = cgResidual;
        metrics["trpo/cg_iterations"] = cgIterations;
        metrics["trpo/max_kl"] = maxKl;
        return null;
    }

    /// <summary>Several epochs of minibatch regression of V on the GAE returns.</summary>
    private string? ValueStep(Tensor criticInputs, MetricRecord metrics)
    {
        foreach (var group in valueOptimizer.ParamGroups) group.LearningRate = options.ValueLearningRate * LearningRateScale;
        var returns = Core.ToDeviceVector(Core.Storage.Returns);
        int batch = Core.Batch;
        int minibatch = Math.Max(1, batch / options.ValueMinibatches);
        double lossSum = 0, normSum = 0;
        int count = 0;
        for (int epoch = 0; epoch < options.ValueEpochs; epoch++)
        {
            using var permutation = torch.randperm(batch, device: Core.Device);
            for (int start = 0; start + minibatch <= batch; start += minibatch)
            {
                using var scope = torch.NewDisposeScope();
                var idx = permutation.narrow(0, start, minibatch);
                var valueLoss = (Core.Policy.Value(criticInputs.index_select(0, idx)) - returns.index_select(0, idx)).Squared().mean().mul(FixedScalars.Half);
                double lossValue = valueLoss.ToDoubleValue();
                if (!double.IsFinite(lossValue)) return "value loss";
                valueOptimizer.zero_grad();
                valueLoss.backward();
                double norm = nn.utils.clip_grad_norm_(criticParameters, options.MaxGradNorm);
                if (!double.IsFinite(norm)) return Core.FirstNonFiniteGradient() ?? "value gradient norm";
                AdamStep.Step(valueOptimizer, 1e-5);
                lossSum += lossValue;
                normSum += norm;
                count++;
            }
        }

        metrics["losses/value_loss"] = lossSum / Math.Max(count, 1);
        metrics["losses/value_grad_norm"] = normSum / Math.Max(count, 1);
        return null;
    }
}
