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

namespace Robotics.Training.Algorithms.Reinforce;

/// <summary>
/// REINFORCE (Williams 1992): one rollout, reward-to-go returns, one policy-gradient step
/// grad = mean(grad log pi(a|s) * w) with w the return, or the return minus a learned baseline V(s);
/// the baseline is then regressed on the returns with its own optimizer.
/// </summary>
public sealed class ReinforceAlgorithm : OnPolicyAlgorithm
{
    private readonly ReinforceOptions options;
    private readonly Adam policyOptimizer;
    private readonly Adam baselineOptimizer;
    private readonly List<Parameter> actorParameters;
    private readonly List<Parameter> criticParameters;

    public ReinforceAlgorithm(TrainingConfig config, EnvSpec spec, Device device)
        : base(new OnPolicyCore(config, spec, device, config.Options<ReinforceOptions>()))
    {
        options = config.Options<ReinforceOptions>();
        actorParameters = Core.ActorParameters();
        criticParameters = Core.CriticParameters();
        policyOptimizer = optim.Adam(actorParameters, lr: options.LearningRate, eps: 1e-5);
        baselineOptimizer = optim.Adam(criticParameters, lr: options.BaselineLearningRate, eps: 1e-5);
    }

    public override string Name => "reinforce";
    protected override IReadOnlyList<OptimizerHelper> Optimizers => [policyOptimizer, baselineOptimizer];

    /// <summary>Fills the storage's Returns (reward-to-go) and Advantages (the policy-gradient weights before normalization).</summary>
    public static void ComputeWeights(RolloutStorage s, double gamma, bool baseline)
    {
        var zerosRows = new float[s.Rows];
        var zerosEnvs = new float[s.Envs];
        RewardToGo.Compute(s.Steps, s.Envs, gamma, s.Rewards, s.Terminated, s.Truncated,
            baseline ? s.FinalValues : zerosRows, baseline ? s.NextValues : zerosEnvs, s.Returns);
        for (int i = 0; i < s.Rows; i++) s.Advantages[i] = baseline ? s.Returns[i] - s.Values[i] : s.Returns[i];
    }

    public override bool Learn(double progress, MetricRecord metrics, out string? nonFiniteTensor)
    {
        Core.RequireFullRollout();
        ComputeWeights(Core.Storage, options.Gamma, options.Baseline);

        double lr = OnPolicyCore.ScheduledLearningRate(options.LearningRate, options.LrSchedule, progress, LearningRateScale);
        foreach (var group in policyOptimizer.ParamGroups) group.LearningRate = lr;
        foreach (var group in baselineOptimizer.ParamGroups) group.LearningRate = options.BaselineLearningRate * LearningRateScale;

        nonFiniteTensor = Core.UpdateOrUndo(() => Update(metrics), metrics, policyOptimizer, baselineOptimizer);
        if (nonFiniteTensor is not null) return false;

        Core.WriteRolloutMetrics(metrics);
        if (!options.Baseline) metrics["losses/explained_variance"] = double.NaN;
        metrics["charts/learning_rate"] = lr;
        return true;
    }

    /// <summary>The policy step, then the baseline steps; returns the name of a non-finite tensor, or null.</summary>
    private string? Update(MetricRecord metrics)
    {
        using var scope = torch.NewDisposeScope();
        var (obs, actions, oldLogProbs) = Core.BatchTensors();
        var criticInputs = Core.BatchCriticInputs(obs);
        var weights = Core.ToDeviceVector(Core.Storage.Advantages);
        var returns = Core.ToDeviceVector(Core.Storage.Returns);
        if (options.NormalizeReturns) weights = OnPolicyEstimates.NormalizeAdvantages(weights);

        var (logProb, entropy, _) = Core.Policy.Evaluate(obs, actions, criticInputs);
        var pgLoss = -(logProb * weights).mean();
        var entropyLoss = entropy.mean();
        using var entropyCoef = options.EntropyCoef.ToScalar();
        var loss = pgLoss - entropyLoss.mul(entropyCoef);
        if (!float.IsFinite(loss.item<float>())) return NonFiniteUpdate.FirstNonFinite(("policy loss", pgLoss), ("entropy", entropyLoss)) ?? "loss";

        policyOptimizer.zero_grad();
        loss.backward();
        double gradNorm = nn.utils.clip_grad_norm_(actorParameters, options.MaxGradNorm);
        if (!double.IsFinite(gradNorm)) return Core.FirstNonFiniteGradient() ?? "gradient norm";
        AdamStep.Step(policyOptimizer, 1e-5);

        double valueLoss = double.NaN;
        if (options.Baseline)
        {
            for (int i = 0; i < options.BaselineSteps; i++)
            {
                var valueLossTensor = (Core.Policy.Value(criticInputs) - returns).Squared().mean().mul(FixedScalars.Half);
                valueLoss = valueLossTensor.item<float>();
                if (!double.IsFinite(valueLoss)) return "value loss";
                baselineOptimizer.zero_grad();
                valueLossTensor.backward();
                if (!double.IsFinite(nn.utils.clip_grad_norm_(criticParameters, options.MaxGradNorm))) return Core.FirstNonFiniteGradient() ?? "value gradient norm";
                AdamStep.Step(baselineOptimizer, 1e-5);
            }
        }

        using (torch.no_grad())
        {
            var (newLogProb, _, _) = Core.Policy.Evaluate(obs, actions, criticInputs);
            var logRatio = newLogProb - oldLogProbs;
            metrics["losses/approx_kl"] = OnPolicyEstimates.ApproxKl(logRatio, logRatio.exp()).item<float>();
        }

        metrics["losses/policy_loss"] = pgLoss.item<float>();
        metrics["losses/value_loss"] = valueLoss;
        metrics["losses/entropy"] = entropyLoss.item<float>();
        metrics["losses/grad_norm"] = gradNorm;
        metrics["losses/grad_norm_clipped"] = Math.Min(gradNorm, options.MaxGradNorm);
        metrics["reinforce/return_mean"] = Core.Storage.Returns.Average();
        return null;
    }
}
