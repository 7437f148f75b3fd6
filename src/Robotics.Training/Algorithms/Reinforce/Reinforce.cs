using Robotics.Contract;
using Robotics.Sim.Environments;
using Robotics.Training.Algorithms.A2c;
using Robotics.Training.Configuration;
using Robotics.Training.Monitoring;
using Robotics.Training.Policies;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Robotics.Training.Algorithms.Reinforce;

/// <summary>
/// REINFORCE (Williams 1992): one rollout, reward-to-go returns, one policy-gradient step
/// grad = mean(grad log pi(a|s) * w) with w the return, or the return minus a learned baseline V(s);
/// the baseline is then regressed on the returns with its own optimizer.
/// </summary>
public sealed class ReinforceAlgorithm : IAlgorithm
{
    private readonly ReinforceOptions options;
    private readonly OnPolicyCore core;
    private readonly Adam policyOptimizer;
    private readonly Adam baselineOptimizer;
    private readonly List<Parameter> actorParameters;
    private readonly List<Parameter> criticParameters;

    public ReinforceAlgorithm(TrainingConfig config, EnvSpec spec, Device device)
    {
        options = config.Reinforce;
        core = new OnPolicyCore(config, spec, device, options.RolloutSteps, options.Gamma);
        actorParameters = core.ActorParameters();
        criticParameters = core.CriticParameters();
        policyOptimizer = optim.Adam(actorParameters, lr: options.LearningRate, eps: 1e-5);
        baselineOptimizer = optim.Adam(criticParameters, lr: options.BaselineLearningRate, eps: 1e-5);
    }

    public string Name => "reinforce";
    public int StepsPerIteration => core.Batch;
    public double LearningRateScale { get; set; } = 1.0;
    public GaussianActorCritic Policy => core.Policy;
    public OnPolicyCore Core => core;

    public void ResetEnvironments(IVectorEnv env, int seed) => core.ResetEnvironments(env, seed);

    public void Collect(IVectorEnv env, List<EpisodeRecord> episodes, MetricRecord metrics) => core.Collect(env, episodes, metrics);

    /// <summary>Fills the storage's Returns (reward-to-go) and Advantages (the policy-gradient weights before normalization).</summary>
    public static void ComputeWeights(Ppo.RolloutStorage s, double gamma, bool baseline)
    {
        var zerosRows = new float[s.Rows];
        var zerosEnvs = new float[s.Envs];
        RewardToGo.Compute(s.Steps, s.Envs, gamma, s.Rewards, s.Terminated, s.Truncated,
            baseline ? s.FinalValues : zerosRows, baseline ? s.NextValues : zerosEnvs, s.Returns);
        for (int i = 0; i < s.Rows; i++) s.Advantages[i] = baseline ? s.Returns[i] - s.Values[i] : s.Returns[i];
    }

    public bool Learn(double progress, MetricRecord metrics, out string? nonFiniteTensor)
    {
        nonFiniteTensor = null;
        core.RequireFullRollout();
        ComputeWeights(core.Storage, options.Gamma, options.Baseline);

        double lr = OnPolicyCore.ScheduledLearningRate(options.LearningRate, options.LrSchedule, progress, LearningRateScale);
        foreach (var group in policyOptimizer.ParamGroups) group.LearningRate = lr;
        foreach (var group in baselineOptimizer.ParamGroups) group.LearningRate = options.BaselineLearningRate * LearningRateScale;

        var parametersBefore = core.SnapshotParameters();
        var policyOptimizerBefore = OnPolicyCore.SnapshotOptimizer(policyOptimizer);
        var baselineOptimizerBefore = OnPolicyCore.SnapshotOptimizer(baselineOptimizer);
        try
        {
            nonFiniteTensor = Update(metrics);
            if (nonFiniteTensor is null && core.FirstNonFiniteParameter() is { } badParameter) nonFiniteTensor = badParameter;
            if (nonFiniteTensor is not null)
            {
                core.RestoreParameters(parametersBefore);
                OnPolicyCore.RestoreOptimizer(policyOptimizer, policyOptimizerBefore);
                OnPolicyCore.RestoreOptimizer(baselineOptimizer, baselineOptimizerBefore);
                metrics["losses/skipped_update"] = 1;
                return false;
            }
        }
        finally
        {
            OnPolicyCore.DisposeAll(parametersBefore);
        }

        core.WriteRolloutMetrics(metrics);
        if (!options.Baseline) metrics["losses/explained_variance"] = double.NaN;
        metrics["charts/learning_rate"] = lr;
        return true;
    }

    /// <summary>The policy step, then the baseline steps; returns the name of a non-finite tensor, or null.</summary>
    private string? Update(MetricRecord metrics)
    {
        using var scope = torch.NewDisposeScope();
        var (obs, actions, oldLogProbs) = core.BatchTensors();
        var weights = core.ToDeviceVector(core.Storage.Advantages);
        var returns = core.ToDeviceVector(core.Storage.Returns);
        if (options.NormalizeReturns) weights = Ppo.PpoLosses.NormalizeAdvantages(weights);

        var (logProb, entropy, _) = core.Policy.Evaluate(obs, actions);
        var pgLoss = -(logProb * weights).mean();
        var entropyLoss = entropy.mean();
        var loss = pgLoss - options.EntropyCoef * entropyLoss;
        if (!float.IsFinite(loss.item<float>())) return OnPolicyCore.FirstNonFinite(("policy loss", pgLoss), ("entropy", entropyLoss)) ?? "loss";

        policyOptimizer.zero_grad();
        loss.backward();
        double gradNorm = nn.utils.clip_grad_norm_(actorParameters, options.MaxGradNorm);
        if (!double.IsFinite(gradNorm)) return core.FirstNonFiniteGradient() ?? "gradient norm";
        policyOptimizer.step();

        double valueLoss = double.NaN;
        if (options.Baseline)
        {
            for (int i = 0; i < options.BaselineSteps; i++)
            {
                var valueLossTensor = 0.5 * (core.Policy.Value(obs) - returns).pow(2).mean();
                valueLoss = valueLossTensor.item<float>();
                if (!double.IsFinite(valueLoss)) return "value loss";
                baselineOptimizer.zero_grad();
                valueLossTensor.backward();
                if (!double.IsFinite(nn.utils.clip_grad_norm_(criticParameters, options.MaxGradNorm))) return core.FirstNonFiniteGradient() ?? "value gradient norm";
                baselineOptimizer.step();
            }
        }

        using (torch.no_grad())
        {
            var (newLogProb, _, _) = core.Policy.Evaluate(obs, actions);
            var logRatio = newLogProb - oldLogProbs;
            metrics["losses/approx_kl"] = Ppo.PpoLosses.ApproxKl(logRatio, logRatio.exp()).item<float>();
        }

        metrics["losses/policy_loss"] = pgLoss.item<float>();
        metrics["losses/value_loss"] = valueLoss;
        metrics["losses/entropy"] = entropyLoss.item<float>();
        metrics["losses/grad_norm"] = gradNorm;
        metrics["losses/grad_norm_clipped"] = Math.Min(gradNorm, options.MaxGradNorm);
        metrics["reinforce/return_mean"] = core.Storage.Returns.Average();
        return null;
    }

    public float[] ActDeterministic(float[] observations, int batch) => core.ActDeterministic(observations, batch);

    public string? FirstNonFiniteParameter() => core.FirstNonFiniteParameter();

    public ExportablePolicy ToExportable(PolicyContract contract, string runName, long step) => core.ToExportable(Name, contract, runName, step);

    public void SaveState(BinaryWriter writer)
    {
        writer.Write(LearningRateScale);
        core.SaveState(writer);
        policyOptimizer.save_state_dict(writer);
        baselineOptimizer.save_state_dict(writer);
    }

    public void LoadState(BinaryReader reader)
    {
        LearningRateScale = reader.ReadDouble();
        core.LoadState(reader);
        policyOptimizer.load_state_dict(reader);
        baselineOptimizer.load_state_dict(reader);
    }

    public void Dispose()
    {
        policyOptimizer.Dispose();
        baselineOptimizer.Dispose();
        core.Dispose();
    }
}
