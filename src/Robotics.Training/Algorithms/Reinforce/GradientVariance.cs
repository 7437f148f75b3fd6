using Robotics.Contract.Environments;
using Robotics.Training.Algorithms.OnPolicy;
using Robotics.Training.Configuration;
using Robotics.Training.Monitoring;
using Robotics.Training.Tensors;
using Robotics.Training.Optimization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Robotics.Training.Algorithms.Reinforce;

/// <summary>How the gradient-variance measurement runs.</summary>
public sealed record GradientVarianceOptions
{
    /// <summary>Independent batches whose gradients are compared.</summary>
    public int Batches { get; init; } = 32;

    /// <summary>Steps per environment in one batch; a batch is RolloutSteps x the environment's NumEnvs.</summary>
    public int RolloutSteps { get; init; } = 256;

    /// <summary>Batches spent fitting the value network (the baseline and GAE's critic) to the fixed policy first.</summary>
    public int FitBatches { get; init; } = 20;

    /// <summary>Adam steps on the value loss per fitting batch.</summary>
    public int FitStepsPerBatch { get; init; } = 50;

    public double Gamma { get; init; } = 0.99;
    public double GaeLambda { get; init; } = 0.95;
    public int Seed { get; init; } = 1;
}

/// <summary>The spread of one estimator's gradients over the batches.</summary>
/// <param name="TraceCovariance">trace of the covariance of the gradient, (1/(K-1)) sum_k |g_k - mean g|^2</param>
/// <param name="MeanGradientNormSquared">|mean g|^2, the signal the variance is compared with</param>
/// <param name="WeightStd">standard deviation of the per-sample weights (return, return - V, or GAE advantage)</param>
public sealed record GradientVarianceRow(string Estimator, double TraceCovariance, double MeanGradientNormSquared, double WeightStd)
{
    /// <summary>Trace of the covariance over |mean g|^2: how many times the noise outweighs the signal.</summary>
    public double NoiseToSignal => TraceCovariance / MeanGradientNormSquared;
}

/// <summary>
/// Measures the variance of the policy-gradient estimate grad = mean(grad log pi(a|s) * w) of a fixed policy for
/// three choices of w on batches of the same size: the reward-to-go (REINFORCE), the reward-to-go minus a learned
/// V(s) (REINFORCE with baseline), and GAE(gamma, lambda) advantages. No weight normalization is applied, so the
/// figures are those of the estimators themselves. The value network is first fitted to the policy's returns.
/// </summary>
public static class GradientVariance
{
    public static readonly string[] Estimators = ["reinforce", "reinforce_baseline", "gae"];

    public static IReadOnlyList<GradientVarianceRow> Measure(IVectorEnv env, TrainingConfig config, GradientVarianceOptions options, Action<string>? log = null)
    {
        torch.manual_seed(options.Seed);
        using var core = new OnPolicyCore(config with { Normalization = config.Normalization with { RewardScaling = false } },
            env.Spec, torch.CPU, new ReinforceOptions { RolloutSteps = options.RolloutSteps, Gamma = options.Gamma });
        var storage = core.Storage;
        var metrics = new MetricRecord();
        var episodes = new List<EpisodeRecord>();
        core.ResetEnvironments(env, options.Seed);

        // Fit V to the fixed policy's returns; the observation statistics settle meanwhile and are then frozen.
        using var valueOptimizer = optim.Adam(core.CriticParameters(), lr: 1e-3);
        for (int b = 0; b < options.FitBatches; b++)
        {
            core.Collect(env, episodes, metrics);
            RewardToGo.Compute(storage.Steps, storage.Envs, options.Gamma, storage.Rewards, storage.Terminated, storage.Truncated,
                storage.FinalValues, storage.NextValues, storage.Returns);
            double loss = FitValue(core, valueOptimizer, options.FitStepsPerBatch);
            log?.Invoke($"fitting the value network: batch {b + 1}/{options.FitBatches}, value loss {loss:F4}");
        }

        core.UpdateObservationStatistics = false;
        var actor = core.ActorParameters();
        var gradients = Estimators.ToDictionary(e => e, _ => new List<float[]>());
        var weightStd = Estimators.ToDictionary(e => e, _ => 0.0);
        var weights = new float[storage.Rows];
        for (int k = 0; k < options.Batches; k++)
        {
            core.Collect(env, episodes, metrics);
            foreach (var estimator in Estimators)
            {
                ComputeWeights(storage, estimator, options, weights);
                gradients[estimator].Add(PolicyGradient(core, actor, weights));
                weightStd[estimator] += Std(weights) / options.Batches;
            }

            log?.Invoke($"batch {k + 1}/{options.Batches}");
        }

        return Estimators.Select(e =>
        {
            var (trace, meanNormSquared) = Spread(gradients[e]);
            return new GradientVarianceRow(e, trace, meanNormSquared, weightStd[e]);
        }).ToList();
    }

    /// <summary>The per-sample weights of one estimator over the rollout in <paramref name="s"/>.</summary>
    public static void ComputeWeights(RolloutStorage s, string estimator, GradientVarianceOptions options, float[] weights)
    {
        switch (estimator)
        {
            case "reinforce":
                RewardToGo.Compute(s.Steps, s.Envs, options.Gamma, s.Rewards, s.Terminated, s.Truncated, new float[s.Rows], new float[s.Envs], weights);
                break;
            case "reinforce_baseline":
                RewardToGo.Compute(s.Steps, s.Envs, options.Gamma, s.Rewards, s.Terminated, s.Truncated, s.FinalValues, s.NextValues, weights);
                for (int i = 0; i < weights.Length; i++) weights[i] -= s.Values[i];
                break;
            case "gae":
                Gae.Compute(s.Steps, s.Envs, options.Gamma, options.GaeLambda, s.Rewards, s.Values, s.Terminated, s.Truncated,
                    s.FinalValues, s.NextValues, weights, new float[s.Rows]);
                break;
            default:
                throw new ArgumentException($"unknown estimator '{estimator}': expected one of {string.Join(", ", Estimators)}");
        }
    }

    /// <summary>(trace of the sample covariance, squared norm of the mean) of a list of gradient vectors.</summary>
    public static (double TraceCovariance, double MeanNormSquared) Spread(IReadOnlyList<float[]> gradients)
    {
        int k = gradients.Count, d = gradients[0].Length;
        var mean = new double[d];
        foreach (var g in gradients)
            for (int i = 0; i < d; i++) mean[i] += g[i] / (double)k;
        double trace = 0;
        foreach (var g in gradients)
            for (int i = 0; i < d; i++) trace += (g[i] - mean[i]) * (g[i] - mean[i]);
        return (trace / (k - 1), mean.Sum(m => m * m));
    }

    private static float[] PolicyGradient(OnPolicyCore core, List<Parameter> actor, float[] weights)
    {
        using var scope = torch.NewDisposeScope();
        var (obs, actions, _) = core.BatchTensors();
        var (logProb, _, _) = core.Policy.Evaluate(obs, actions, core.BatchCriticInputs(obs));
        var objective = (logProb * torch.tensor(weights)).mean();
        var grads = torch.autograd.grad([objective], actor.Cast<Tensor>().ToList());
        return torch.cat(grads.Select(g => g.reshape(-1)).ToList()).data<float>().ToArray();
    }

    private static double FitValue(OnPolicyCore core, Adam optimizer, int steps)
    {
        using var scope = torch.NewDisposeScope();
        var obs = core.BatchCriticInputs(torch.tensor(core.Storage.Observations, core.Batch, core.Spec.ObservationSize));
        var returns = torch.tensor(core.Storage.Returns);
        double loss = double.NaN;
        for (int i = 0; i < steps; i++)
        {
            var valueLoss = (core.Policy.Value(obs) - returns).Squared().mean().mul(FixedScalars.Half);
            loss = valueLoss.ToDoubleValue();
            optimizer.zero_grad();
            valueLoss.backward();
            AdamStep.Step(optimizer, 1e-8);
        }

        return loss;
    }

    private static double Std(float[] x)
    {
        double mean = x.Average();
        return Math.Sqrt(x.Sum(v => (v - mean) * (v - mean)) / x.Length);
    }
}
