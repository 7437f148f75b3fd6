using Robotics.Contract;
using Robotics.Sim.Environments;
using Robotics.Training.Algorithms.Ppo;
using Robotics.Training.Configuration;
using Robotics.Training.Monitoring;
using Robotics.Training.Policies;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Robotics.Training.Algorithms.A2c;

/// <summary>
/// Synchronous advantage actor-critic (Mnih et al. 2016, the synchronous form of Stable-Baselines3):
/// a short rollout from every environment, n-step or GAE advantages, and one gradient step on
/// policy loss - entropy bonus + value loss per rollout.
/// </summary>
public sealed class A2cAlgorithm : IAlgorithm
{
    private readonly A2cOptions options;
    private readonly OnPolicyCore core;
    private readonly OptimizerHelper optimizer;

    public A2cAlgorithm(TrainingConfig config, EnvSpec spec, Device device)
    {
        options = config.A2c;
        core = new OnPolicyCore(config, spec, device, options.RolloutSteps, options.Gamma);
        optimizer = options.Optimizer switch
        {
            "rmsprop" => optim.RMSProp(core.Policy.parameters(), lr: options.LearningRate, alpha: 0.99, eps: 1e-5),
            "adam" => optim.Adam(core.Policy.parameters(), lr: options.LearningRate, eps: 1e-5),
            _ => throw new ArgumentException($"unknown a2c optimizer '{options.Optimizer}': expected rmsprop or adam"),
        };
    }

    public string Name => "a2c";
    public int StepsPerIteration => core.Batch;
    public double LearningRateScale { get; set; } = 1.0;
    public GaussianActorCritic Policy => core.Policy;
    public OnPolicyCore Core => core;

    public void ResetEnvironments(IVectorEnv env, int seed) => core.ResetEnvironments(env, seed);

    public void Collect(IVectorEnv env, List<EpisodeRecord> episodes, MetricRecord metrics) => core.Collect(env, episodes, metrics);

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

    public bool Learn(double progress, MetricRecord metrics, out string? nonFiniteTensor)
    {
        nonFiniteTensor = null;
        core.RequireFullRollout();
        ComputeAdvantages(core.Storage, options);
        double lr = OnPolicyCore.ScheduledLearningRate(options.LearningRate, options.LrSchedule, progress, LearningRateScale);
        foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;

        var parametersBefore = core.SnapshotParameters();
        var optimizerBefore = OnPolicyCore.SnapshotOptimizer(optimizer);
        try
        {
            nonFiniteTensor = Update(metrics);
            if (nonFiniteTensor is null && core.FirstNonFiniteParameter() is { } badParameter) nonFiniteTensor = badParameter;
            if (nonFiniteTensor is not null)
            {
                core.RestoreParameters(parametersBefore);
                OnPolicyCore.RestoreOptimizer(optimizer, optimizerBefore);
                metrics["losses/skipped_update"] = 1;
                return false;
            }
        }
        finally
        {
            OnPolicyCore.DisposeAll(parametersBefore);
        }

        core.WriteRolloutMetrics(metrics);
        metrics["charts/learning_rate"] = lr;
        return true;
    }

    private string? Update(MetricRecord metrics)
    {
        using var scope = torch.NewDisposeScope();
        var (obs, actions, oldLogProbs) = core.BatchTensors();
        var advantages = core.ToDeviceVector(core.Storage.Advantages);
        var returns = core.ToDeviceVector(core.Storage.Returns);
        if (options.NormalizeAdvantages) advantages = PpoLosses.NormalizeAdvantages(advantages);

        var (logProb, entropy, value) = core.Policy.Evaluate(obs, actions);
        var pgLoss = -(advantages * logProb).mean();
        var valueLoss = 0.5 * (value - returns).pow(2).mean();
        var entropyLoss = entropy.mean();
        var loss = pgLoss - options.EntropyCoef * entropyLoss + options.ValueCoef * valueLoss;
        if (!float.IsFinite(loss.item<float>()))
            return OnPolicyCore.FirstNonFinite(("policy loss", pgLoss), ("value loss", valueLoss), ("entropy", entropyLoss)) ?? "loss";

        optimizer.zero_grad();
        loss.backward();
        double gradNorm = nn.utils.clip_grad_norm_(core.Policy.parameters(), options.MaxGradNorm);
        if (!double.IsFinite(gradNorm)) return core.FirstNonFiniteGradient() ?? "gradient norm";
        optimizer.step();

        using (torch.no_grad())
        {
            var (newLogProb, _, _) = core.Policy.Evaluate(obs, actions);
            var logRatio = newLogProb - oldLogProbs;
            metrics["losses/approx_kl"] = PpoLosses.ApproxKl(logRatio, logRatio.exp()).item<float>();
        }

        metrics["losses/policy_loss"] = pgLoss.item<float>();
        metrics["losses/value_loss"] = valueLoss.item<float>();
        metrics["losses/entropy"] = entropyLoss.item<float>();
        metrics["losses/grad_norm"] = gradNorm;
        metrics["losses/grad_norm_clipped"] = Math.Min(gradNorm, options.MaxGradNorm);
        return null;
    }

    public float[] ActDeterministic(float[] observations, int batch) => core.ActDeterministic(observations, batch);

    public string? FirstNonFiniteParameter() => core.FirstNonFiniteParameter();

    public ExportablePolicy ToExportable(PolicyContract contract, string runName, long step) => core.ToExportable(Name, contract, runName, step);

    public void SaveState(BinaryWriter writer)
    {
        writer.Write(LearningRateScale);
        core.SaveState(writer);
        optimizer.save_state_dict(writer);
    }

    public void LoadState(BinaryReader reader)
    {
        LearningRateScale = reader.ReadDouble();
        core.LoadState(reader);
        optimizer.load_state_dict(reader);
    }

    public void Dispose()
    {
        optimizer.Dispose();
        core.Dispose();
    }
}
