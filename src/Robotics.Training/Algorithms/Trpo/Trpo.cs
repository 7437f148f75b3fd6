using Robotics.Contract;
using Robotics.Sim.Environments;
using Robotics.Training.Algorithms.A2c;
using Robotics.Training.Algorithms.Ppo;
using Robotics.Training.Configuration;
using Robotics.Training.Monitoring;
using Robotics.Training.Policies;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Robotics.Training.Algorithms.Trpo;

/// <summary>
/// Trust region policy optimization (Schulman et al. 2015) with GAE advantages: the policy moves along the
/// natural gradient F^-1 g (conjugate gradient on Fisher-vector products), scaled so the quadratic model of the
/// KL reaches max_kl, then backtracked until the surrogate improves and the measured KL is within max_kl.
/// The value network is fitted separately by minibatch regression on the GAE returns.
/// </summary>
public sealed class TrpoAlgorithm : IAlgorithm
{
    private readonly TrpoOptions options;
    private readonly OnPolicyCore core;
    private readonly Adam valueOptimizer;
    private readonly List<Parameter> actorParameters;
    private readonly List<Parameter> criticParameters;

    public TrpoAlgorithm(TrainingConfig config, EnvSpec spec, Device device)
    {
        options = config.Trpo;
        core = new OnPolicyCore(config, spec, device, options.RolloutSteps, options.Gamma);
        actorParameters = core.ActorParameters();
        criticParameters = core.CriticParameters();
        valueOptimizer = optim.Adam(criticParameters, lr: options.ValueLearningRate, eps: 1e-5);
    }

    public string Name => "trpo";
    public int StepsPerIteration => core.Batch;

    /// <summary>Scales the trust-region radius and the value learning rate; lowered by collapse recovery.</summary>
    public double LearningRateScale { get; set; } = 1.0;

    public GaussianActorCritic Policy => core.Policy;
    public OnPolicyCore Core => core;

    public void ResetEnvironments(IVectorEnv env, int seed) => core.ResetEnvironments(env, seed);

    public void Collect(IVectorEnv env, List<EpisodeRecord> episodes, MetricRecord metrics) => core.Collect(env, episodes, metrics);

    public bool Learn(double progress, MetricRecord metrics, out string? nonFiniteTensor)
    {
        nonFiniteTensor = null;
        core.RequireFullRollout();
        core.Storage.ComputeAdvantages(options.Gamma, options.GaeLambda);

        var parametersBefore = core.SnapshotParameters();
        var optimizerBefore = OnPolicyCore.SnapshotOptimizer(valueOptimizer);
        try
        {
            using var scope = torch.NewDisposeScope();
            var (obs, actions, oldLogProbs) = core.BatchTensors();
            nonFiniteTensor = PolicyStep(obs, actions, oldLogProbs, metrics) ?? ValueStep(obs, metrics);
            if (nonFiniteTensor is null && core.FirstNonFiniteParameter() is { } badParameter) nonFiniteTensor = badParameter;
            if (nonFiniteTensor is not null)
            {
                core.RestoreParameters(parametersBefore);
                OnPolicyCore.RestoreOptimizer(valueOptimizer, optimizerBefore);
                metrics["losses/skipped_update"] = 1;
                return false;
            }
        }
        finally
        {
            OnPolicyCore.DisposeAll(parametersBefore);
        }

        core.WriteRolloutMetrics(metrics);
        metrics["charts/learning_rate"] = options.ValueLearningRate * LearningRateScale;
        return true;
    }

    /// <summary>The natural-gradient step with its line search; returns the name of a non-finite tensor, or null.</summary>
    private string? PolicyStep(Tensor obs, Tensor actions, Tensor oldLogProbs, MetricRecord metrics)
    {
        double maxKl = options.MaxKl * LearningRateScale;
        var advantages = core.ToDeviceVector(core.Storage.Advantages);
        if (options.NormalizeAdvantages) advantages = PpoLosses.NormalizeAdvantages(advantages);

        Tensor oldMean, oldLogStd;
        using (torch.no_grad())
        {
            oldMean = core.Policy.Mean(obs).detach();
            oldLogStd = core.Policy.LogStd.detach().clone();
        }

        // Surrogate L(theta) = mean(pi_theta(a|s) / pi_old(a|s) * A); its gradient at theta_old is the policy gradient g.
        var (logProb, entropy, _) = core.Policy.Evaluate(obs, actions);
        var surrogate = ((logProb - oldLogProbs).exp() * advantages).mean();
        double oldSurrogate = surrogate.ToDouble();
        if (!double.IsFinite(oldSurrogate)) return "surrogate";
        var g = FlatParameters.Flatten(torch.autograd.grad([surrogate], actorParameters.Cast<Tensor>().ToList())).detach();
        double gradNorm = g.norm().ToDouble();
        if (!double.IsFinite(gradNorm)) return "policy gradient";

        // Natural gradient direction x = F^-1 g, scaled so that 0.5 s^T F s = max_kl.
        using var fisher = new FisherVectorProduct(core.Policy, actorParameters, obs, options.Damping);
        var (direction, cgResidual, cgIterations) = ConjugateGradient.Solve(fisher.Apply, g, options.CgIterations, options.CgTolerance);
        double quadratic = direction.dot(fisher.Apply(direction)).ToDouble();
        if (!double.IsFinite(quadratic) || quadratic <= 0) return "natural gradient (x^T F x is not positive)";
        var fullStep = direction * Math.Sqrt(2 * maxKl / quadratic);
        double expectedImprovement = g.dot(fullStep).ToDouble();

        var oldParameters = FlatParameters.Get(actorParameters);
        (double, double) SurrogateAndKl(double fraction)
        {
            using var evalScope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            FlatParameters.Set(actorParameters, oldParameters + fraction * fullStep);
            var (newLogProb, _, _) = core.Policy.Evaluate(obs, actions);
            double newSurrogate = ((newLogProb - oldLogProbs).exp() * advantages).mean().ToDouble();
            double kl = GaussianKl.Mean(oldMean, oldLogStd, core.Policy.Mean(obs), core.Policy.LogStd).ToDouble();
            return (newSurrogate, kl);
        }

        var search = TrpoLineSearch.Run(SurrogateAndKl, oldSurrogate, maxKl, options.LineSearchSteps, options.LineSearchShrink);
        FlatParameters.Set(actorParameters, search.Accepted ? oldParameters + search.Fraction * fullStep : oldParameters);

        metrics["losses/policy_loss"] = -oldSurrogate;
        metrics["losses/entropy"] = entropy.mean().ToDouble();
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
    private string? ValueStep(Tensor obs, MetricRecord metrics)
    {
        foreach (var group in valueOptimizer.ParamGroups) group.LearningRate = options.ValueLearningRate * LearningRateScale;
        var returns = core.ToDeviceVector(core.Storage.Returns);
        int batch = core.Batch;
        int minibatch = Math.Max(1, batch / options.ValueMinibatches);
        double lossSum = 0, normSum = 0;
        int count = 0;
        for (int epoch = 0; epoch < options.ValueEpochs; epoch++)
        {
            using var permutation = torch.randperm(batch, device: core.Device);
            for (int start = 0; start + minibatch <= batch; start += minibatch)
            {
                using var scope = torch.NewDisposeScope();
                var idx = permutation.narrow(0, start, minibatch);
                var valueLoss = 0.5 * (core.Policy.Value(obs.index_select(0, idx)) - returns.index_select(0, idx)).pow(2).mean();
                double lossValue = valueLoss.ToDouble();
                if (!double.IsFinite(lossValue)) return "value loss";
                valueOptimizer.zero_grad();
                valueLoss.backward();
                double norm = nn.utils.clip_grad_norm_(criticParameters, options.MaxGradNorm);
                if (!double.IsFinite(norm)) return core.FirstNonFiniteGradient() ?? "value gradient norm";
                valueOptimizer.step();
                lossSum += lossValue;
                normSum += norm;
                count++;
            }
        }

        metrics["losses/value_loss"] = lossSum / Math.Max(count, 1);
        metrics["losses/value_grad_norm"] = normSum / Math.Max(count, 1);
        return null;
    }

    public float[] ActDeterministic(float[] observations, int batch) => core.ActDeterministic(observations, batch);

    public string? FirstNonFiniteParameter() => core.FirstNonFiniteParameter();

    public ExportablePolicy ToExportable(PolicyContract contract, string runName, long step) => core.ToExportable(Name, contract, runName, step);

    public void SaveState(BinaryWriter writer)
    {
        writer.Write(LearningRateScale);
        core.SaveState(writer);
        valueOptimizer.save_state_dict(writer);
    }

    public void LoadState(BinaryReader reader)
    {
        LearningRateScale = reader.ReadDouble();
        core.LoadState(reader);
        valueOptimizer.load_state_dict(reader);
    }

    public void Dispose()
    {
        valueOptimizer.Dispose();
        core.Dispose();
    }
}
