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

namespace Robotics.Training.Algorithms.A2c;

/// <summary>
/// Synchronous advantage actor-critic (Mnih et al. 2016, the synchronous form of Stable-Baselines3):
/// a short rollout from every environment, n-step or GAE advantages, and one gradient step on
/// policy loss - entropy bonus + value loss per rollout.
/// </summary>
public sealed class A2cAlgorithm : OnPolicyAlgorithm
{
    private readonly A2cOptions options;
    private readonly OptimizerHelper optimizer;

    public A2cAlgorithm(TrainingConfig config, EnvSpec spec, Device device)
        : base(new OnPolicyCore(config, spec, device, config.Options<A2cOptions>()))
    {
        options = config.Options<A2cOptions>();
        optimizer = options.Optimizer switch
        {
            "rmsprop" => optim.RMSProp(Core.Policy.parameters(), lr: options.LearningRate, alpha: 0.99, eps: 1e-5),
            "adam" => optim.Adam(Core.Policy.parameters(), lr: options.LearningRate, eps: 1e-5),
            _ => throw new ArgumentException($"unknown a2c optimizer '{options.Optimizer}': expected rmsprop or adam"),
        };
    }

    public override string Name => "a2c";

    // TorchSharp's own steps make their Scalars implicitly (see BannedSymbols.txt); these hold them.
    private void Step()
    {
        if (optimizer is Adam adam) AdamStep.Step(adam, 1e-5);
        else RmsPropStep.Step((RMSProp)optimizer, alpha: 0.99, eps: 1e-5);
    }
    protected override IReadOnlyList<OptimizerHelper> Optimizers => [optimizer];

    /// <summary>Fills the storage's Advantages and Returns (value targets) with the configured estimator.</summary>
    public static void ComputeAdvantages(RolloutStorage s, A2cOptions options)
    {
        if (options.Advantage == "gae")
        {
            s.ComputeAdvantages(options.Gamma, options.GaeLambda);
            return;
        }

        NStepReturns.Compute(s.Steps, s.Envs, options.NSteps, options.Gamma, s.Rewards, s.Values, s.Terminated, s.Truncated,
            s.FinalValues, s.NextValues, s.Advantages, s.Returns);
    }

    public override bool Learn(double progress, MetricRecord metrics, out string? nonFiniteTensor)
    {
        Core.RequireFullRollout();
        ComputeAdvantages(Core.Storage, options);
        double lr = OnPolicyCore.ScheduledLearningRate(options.LearningRate, options.LrSchedule, progress, LearningRateScale);
        foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;

        nonFiniteTensor = Core.UpdateOrUndo(() => Update(metrics), metrics, optimizer);
        if (nonFiniteTensor is not null) return false;

        Core.WriteRolloutMetrics(metrics);
        metrics["charts/learning_rate"] = lr;
        return true;
    }

    private string? Update(MetricRecord metrics)
    {
        using var scope = torch.NewDisposeScope();
        var (obs, actions, oldLogProbs) = Core.BatchTensors();
        var advantages = Core.ToDeviceVector(Core.Storage.Advantages);
        var returns = Core.ToDeviceVector(Core.Storage.Returns);
        if (options.NormalizeAdvantages) advantages = OnPolicyEstimates.NormalizeAdvantages(advantages);

        var criticInputs = Core.BatchCriticInputs(obs);
        var (logProb, entropy, value) = Core.Policy.Evaluate(obs, actions, criticInputs);
        var pgLoss = -(advantages * logProb).mean();
        using var entropyCoef = options.EntropyCoef.ToScalar();
        using var valueCoef = options.ValueCoef.ToScalar();
        var valueLoss = (value - returns).Squared().mean().mul(FixedScalars.Half);
        var entropyLoss = entropy.mean();
        var loss = (pgLoss - entropyLoss.mul(entropyCoef)).Plus(valueLoss.mul(valueCoef));
        if (!float.IsFinite(loss.item<float>()))
            return NonFiniteUpdate.FirstNonFinite(("policy loss", pgLoss), ("value loss", valueLoss), ("entropy", entropyLoss)) ?? "loss";

        optimizer.zero_grad();
        loss.backward();
        double gradNorm = nn.utils.clip_grad_norm_(Core.Policy.parameters(), options.MaxGradNorm);
        if (!double.IsFinite(gradNorm)) return Core.FirstNonFiniteGradient() ?? "gradient norm";
        Step();

        using (torch.no_grad())
        {
            var (newLogProb, _, _) = Core.Policy.Evaluate(obs, actions, criticInputs);
            var logRatio = newLogProb - oldLogProbs;
            metrics["losses/approx_kl"] = OnPolicyEstimates.ApproxKl(logRatio, logRatio.exp()).item<float>();
        }

        metrics["losses/policy_loss"] = pgLoss.item<float>();
        metrics["losses/value_loss"] = valueLoss.item<float>();
        metrics["losses/entropy"] = entropyLoss.item<float>();
        metrics["losses/grad_norm"] = gradNorm;
        metrics["losses/grad_norm_clipped"] = Math.Min(gradNorm, options.MaxGradNorm);
        return null;
    }
}
