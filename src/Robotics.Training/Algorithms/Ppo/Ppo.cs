using System.Diagnostics;
using Robotics.Contract;
using Robotics.Contract.Environments;
using Robotics.Training.Algorithms.OnPolicy;
using Robotics.Training.Checkpoints;
using Robotics.Training.Configuration;
using Robotics.Training.Monitoring;
using Robotics.Training.Optimization;
using Robotics.Training.Policies;
using Robotics.Training.Tensors;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Robotics.Training.Algorithms.Ppo;

/// <summary>
/// Proximal policy optimization with a clipped surrogate (Schulman et al. 2017), in the shape of
/// CleanRL's ppo_continuous_action: collect a rollout, compute GAE, then several epochs of minibatch
/// updates with early stopping on approximate KL.
/// </summary>
public sealed class PpoAlgorithm : OnPolicyAlgorithm
{
    private readonly PpoOptions options;
    private readonly PpoSizes sizes;
    private readonly FlatAdam optimizer;
    private readonly PpoGradient? gradient;
    private readonly KlAdaptiveLearningRate? adaptive;
    private readonly bool klStopEachMinibatch;

    public PpoAlgorithm(TrainingConfig config, EnvSpec spec, Device device)
        : base(new OnPolicyCore(config, spec, device, config.Options<PpoOptions>()))
    {
        options = config.Options<PpoOptions>();
        sizes = options.SizesFor(spec.NumEnvs);
        optimizer = new FlatAdam(Core.Policy.parameters().ToList(), options.LearningRate, eps: 1e-5);
        gradient = options.Gradients == "analytic" ? new PpoGradient(Core.Policy, options) : null;
        adaptive = options.LrSchedule == "adaptive"
            ? new KlAdaptiveLearningRate(options.LearningRate, options.DesiredKl, options.LrMin, options.LrMax)
            : null;
        klStopEachMinibatch = options.TargetKl is not null && options.KlStop == "minibatch";
    }

    public override string Name => "ppo";
    protected override IReadOnlyList<OptimizerHelper> Optimizers => [optimizer.Inner];

    public override bool Learn(double progress, MetricRecord metrics, out string? nonFiniteTensor)
    {
        Core.RequireFullRollout();
        Core.Storage.ComputeAdvantages(options.Gamma, options.GaeLambda);
        double lr = LearningRate(progress);
        foreach (var group in optimizer.Inner.ParamGroups) group.LearningRate = lr;

        var stats = new UpdateStats();
        nonFiniteTensor = Core.UpdateOrUndo(() => Update(stats), metrics, optimizer.Inner);
        if (nonFiniteTensor is not null) return false;

        stats.WriteTo(metrics);
        Core.WriteRolloutMetrics(metrics);
        // The adaptive rate moved during the update; the one logged is where it ended.
        metrics["charts/learning_rate"] = LearningRate(progress);
        return true;
    }

    public double LearningRate(double progress) => adaptive is not null
        ? adaptive.Value * LearningRateScale
        : OnPolicyCore.ScheduledLearningRate(options.LearningRate, options.LrSchedule, progress, LearningRateScale);

    /// <summary>The epochs of minibatch steps; returns the name of a non-finite tensor, or null.</summary>
    private string? Update(UpdateStats stats)
    {
        using var batchScope = torch.NewDisposeScope();
        int batch = sizes.Batch;
        var (bObs, bActions, bLogProbs) = Core.BatchTensors();
        var bCriticInputs = Core.BatchCriticInputs(bObs);
        var bAdvantages = Core.ToDeviceVector(Core.Storage.Advantages);
        var bReturns = Core.ToDeviceVector(Core.Storage.Returns);
        var bValues = Core.ToDeviceVector(Core.Storage.Values);
        int minibatches = batch / sizes.Minibatch;
        // Each minibatch's log-ratio before its step, kept for the epoch's approximate KL and clip fractions.
        var logRatios = torch.empty(minibatches, sizes.Minibatch, device: Core.Device);
        var logRatioRows = logRatios.unbind(0);

        for (int epoch = 0; epoch < options.Epochs; epoch++)
        {
            using var epochScope = torch.NewDisposeScope();
            // One shuffle per epoch, cut into minibatches: a few calls per epoch instead of a gather per tensor and minibatch.
            var permutation = torch.randperm(batch, device: Core.Device).narrow(0, 0, minibatches * sizes.Minibatch);
            var obsBatches = Minibatches(bObs, permutation);
            var criticBatches = ReferenceEquals(bCriticInputs, bObs) ? obsBatches : Minibatches(bCriticInputs, permutation);
            var actionBatches = Minibatches(bActions, permutation);
            var logProbBatches = Minibatches(bLogProbs, permutation);
            var returnBatches = Minibatches(bReturns, permutation);
            var valueBatches = Minibatches(bValues, permutation);
            // Advantages are normalized per minibatch, all minibatches of the epoch at once (one row each).
            var advantageRows = bAdvantages.index_select(0, permutation).view(minibatches, sizes.Minibatch);
            if (options.NormalizeAdvantages) advantageRows = OnPolicyEstimates.NormalizeAdvantages(advantageRows);
            var advantageBatches = advantageRows.unbind(0);

            bool stopped = false;
            int stepped = minibatches;
            for (int m = 0; m < minibatches; m++)
            {
                using var scope = torch.NewDisposeScope();
                long started = Stopwatch.GetTimestamp();
                var (figures, nonFinite) = gradient is null
                    ? AutogradStep(obsBatches[m], criticBatches[m], actionBatches[m], logProbBatches[m], advantageBatches[m], valueBatches[m], returnBatches[m], logRatioRows[m])
                    : AnalyticStep(obsBatches[m], criticBatches[m], actionBatches[m], logProbBatches[m], advantageBatches[m], valueBatches[m], returnBatches[m], logRatioRows[m]);
                if (nonFinite is not null) return nonFinite;
                if (klStopEachMinibatch && MinibatchKl(logRatioRows[m]) > options.TargetKl!.Value)
                {
                    // The policy has already moved further than target_kl from the rollout's on this minibatch:
                    // the update ends here, without its step.
                    stopped = true;
                    stepped = m;
                    break;
                }
                if (adaptive is not null) AdaptLearningRate(logRatioRows[m]);
                long gradientDone = Stopwatch.GetTimestamp();

                // The global norm is not finite exactly when some gradient is not; only then look for which.
                double gradNorm = optimizer.ClipGradNorm(options.MaxGradNorm);
                if (!double.IsFinite(gradNorm)) return Core.FirstNonFiniteGradient() ?? "gradient norm";

                double clippedNorm = Math.Min(gradNorm, options.MaxGradNorm);
                optimizer.Step();
                stats.Add(figures.PolicyLoss, figures.ValueLoss, figures.Entropy, gradNorm, clippedNorm);
                stats.AddTimes(Stopwatch.GetElapsedTime(started, gradientDone), Stopwatch.GetElapsedTime(gradientDone));
            }

            double[] approxKl, clipFraction;
            using (torch.no_grad())
            {
                // The minibatch that stopped the update counts in the KL (the figure shows why it stopped), not in the
                // clip fraction (it took no step).
                int measured = Math.Min(stepped + (stopped ? 1 : 0), minibatches);
                var rows = measured == minibatches ? logRatios : logRatios.narrow(0, 0, measured);
                var ratios = rows.exp();
                approxKl = OnPolicyEstimates.ApproxKl(rows, ratios).to(float64).cpu().data<double>().ToArray();
                clipFraction = PpoLosses.ClipFraction(ratios.narrow(0, 0, stepped), options.ClipCoef).to(float64).cpu().data<double>().ToArray();
            }

            stats.AddEpoch(approxKl, clipFraction);
            if (stopped) break;
            if (!klStopEachMinibatch && options.TargetKl is double targetKl && minibatches > 0 && approxKl.Average() > targetKl) break;
        }

        return null;
    }

    /// <summary>The approximate KL of one minibatch's log-ratios (the policy about to step against the rollout's).</summary>
    private static double MinibatchKl(Tensor logRatio)
    {
        using (torch.no_grad())
            return OnPolicyEstimates.ApproxKl(logRatio, logRatio.exp()).item<float>();
    }

    /// <summary>
    /// rsl_rl's order: the KL of the policy about to step (from this minibatch's log-ratios) sets the rate of
    /// the step it is about to take.
    /// </summary>
    private void AdaptLearningRate(Tensor logRatio)
    {
        double lr = adaptive!.Update(MinibatchKl(logRatio)) * LearningRateScale;
        foreach (var group in optimizer.Inner.ParamGroups) group.LearningRate = lr;
    }

    /// <summary>
    /// Zeroes the gradients and fills them with the gradient of one minibatch's loss, by autograd; writes the
    /// minibatch's log-ratios and returns its figures, or the name of the first non-finite loss term.
    /// </summary>
    private (LossFigures Figures, string? NonFinite) AutogradStep(
        Tensor obs, Tensor criticInputs, Tensor actions, Tensor oldLogProbs, Tensor advantages, Tensor oldValues, Tensor returns, Tensor logRatioOut)
    {
        var (newLogProb, entropy, newValue) = Policy.Evaluate(obs, actions, criticInputs);
        var logRatio = newLogProb - oldLogProbs;
        var ratio = logRatio.exp();

        var pgLoss = PpoLosses.PolicyLoss(advantages, ratio, options.ClipCoef);
        var valueLoss = PpoLosses.ValueLoss(newValue, oldValues, returns, options.ClipCoef, options.ClipValueLoss);
        var entropyLoss = entropy.mean();
        // loss = pgLoss - entropyCoef * entropyLoss + valueCoef * valueLoss. Without an entropy bonus its term adds
        // exactly zero to the loss and the gradients; leaving it out saves its backward.
        using var valueCoef = options.ValueCoef.ToScalar();
        using var entropyCoef = options.EntropyCoef.ToScalar();
        var loss = options.EntropyCoef == 0
            ? torch.add(pgLoss, valueLoss, alpha: valueCoef)
            : torch.add(pgLoss - entropyLoss.mul(entropyCoef), valueLoss, alpha: valueCoef);

        // One read of the figures this minibatch reports (each read is a round trip to the native side).
        float[] read;
        using (torch.no_grad())
        {
            logRatioOut.copy_(logRatio);
            read = torch.stack([loss, pgLoss, valueLoss, entropyLoss]).cpu().data<float>().ToArray();
        }

        if (!float.IsFinite(read[0]))
            return (default, NonFiniteUpdate.FirstNonFinite(("policy loss", pgLoss), ("value loss", valueLoss), ("entropy", entropyLoss)) ?? "loss");

        optimizer.ZeroGrad();
        loss.backward();
        return (new LossFigures(read[1], read[2], read[3]), null);
    }

    /// <summary>As <see cref="AutogradStep"/>, with the gradient worked out by hand (<see cref="PpoGradient"/>).</summary>
    private (LossFigures Figures, string? NonFinite) AnalyticStep(
        Tensor obs, Tensor criticInputs, Tensor actions, Tensor oldLogProbs, Tensor advantages, Tensor oldValues, Tensor returns, Tensor logRatioOut)
    {
        optimizer.ZeroGrad();
        var read = gradient!.Accumulate(obs, actions, oldLogProbs, advantages, oldValues, returns, logRatioOut, criticInputs);
        var figures = new LossFigures(read[0], read[1], read[2]);
        if (!double.IsFinite(figures.Total(options)))
            return (figures, new[] { "policy loss", "value loss", "entropy" }.Where((_, i) => !float.IsFinite(read[i])).FirstOrDefault() ?? "loss");
        return (figures, null);
    }

    /// <summary>The terms of one minibatch's loss.</summary>
    private readonly record struct LossFigures(double PolicyLoss, double ValueLoss, double Entropy)
    {
        public double Total(PpoOptions o) => PolicyLoss - o.EntropyCoef * Entropy + o.ValueCoef * ValueLoss;
    }

    protected override void DisposeOptimizers()
    {
        gradient?.Dispose();
        optimizer.Dispose();
    }

    // PPO's checkpoints hold the optimizer between the parameters and the normalizer statistics (older runs resume from them),
    // so this writes the core's parts itself rather than through OnPolicyCore.SaveState.
    public override void SaveState(BinaryWriter writer)
    {
        writer.Write(LearningRateScale);
        TensorIo.WriteParameters(writer, Policy);
        optimizer.Inner.save_state_dict(writer);
        NormalizerIo.Write(writer, Core.ObservationNormalizer.Stats);
        NormalizerIo.Write(writer, Core.RewardScaler.Stats);
        // Only runs with the adaptive schedule carry its rate, so other checkpoints keep their bytes.
        if (adaptive is not null) writer.Write(adaptive.Value);
        Core.SaveCriticNormalizer(writer);
    }

    public override void LoadState(BinaryReader reader)
    {
        LearningRateScale = reader.ReadDouble();
        TensorIo.ReadParameters(reader, Policy);
        optimizer.Inner.load_state_dict(reader);
        NormalizerIo.Read(reader, Core.ObservationNormalizer.Stats);
        NormalizerIo.Read(reader, Core.RewardScaler.Stats);
        if (adaptive is not null) adaptive.Value = reader.ReadDouble();
        Core.LoadCriticNormalizer(reader);
    }

    /// <summary>The rows of <paramref name="batch"/> in the order of <paramref name="permutation"/>, cut into minibatches.</summary>
    private Tensor[] Minibatches(Tensor batch, Tensor permutation) => batch.index_select(0, permutation).split(sizes.Minibatch);

    /// <summary>Averages of the per-minibatch figures of one update.</summary>
    private sealed class UpdateStats
    {
        private int count, klCount;
        private double pg, value, entropy, kl, clipFraction, gradNorm, clippedNorm, gradientSeconds, optimizerSeconds;

        /// <summary>Epochs run before the update ended or stopped early on KL.</summary>
        public int Epochs { get; private set; }

        public void Add(double pgLoss, double valueLoss, double entropyValue, double norm, double clipped)
        {
            count++;
            pg += pgLoss;
            value += valueLoss;
            entropy += entropyValue;
            gradNorm += norm;
            clippedNorm += clipped;
        }

        /// <summary>Time in the minibatch gradients (forward, loss, backward) and in clipping and Adam.</summary>
        public void AddTimes(TimeSpan gradient, TimeSpan optimizerStep)
        {
            gradientSeconds += gradient.TotalSeconds;
            optimizerSeconds += optimizerStep.TotalSeconds;
        }

        /// <summary>
        /// The approximate KL of each minibatch of an epoch measured (those stepped, and the one that stopped the update)
        /// and the clip fraction of each stepped; an epoch counts when a minibatch stepped in it.
        /// </summary>
        public void AddEpoch(double[] approxKl, double[] clipFractions)
        {
            if (clipFractions.Length > 0) Epochs++;
            kl += approxKl.Sum();
            klCount += approxKl.Length;
            clipFraction += clipFractions.Sum();
        }

        public void WriteTo(MetricRecord m)
        {
            double n = Math.Max(count, 1);
            m["losses/policy_loss"] = pg / n;
            m["losses/value_loss"] = value / n;
            m["losses/entropy"] = entropy / n;
            m["losses/approx_kl"] = kl / Math.Max(klCount, 1);
            m["losses/clipfrac"] = clipFraction / n;
            m["losses/grad_norm"] = gradNorm / n;
            m["losses/grad_norm_clipped"] = clippedNorm / n;
            m["losses/minibatches"] = count;
            m["losses/epochs"] = Epochs;
            m["perf/learn_gradient_seconds"] = gradientSeconds;
            m["perf/learn_optimizer_seconds"] = optimizerSeconds;
        }
    }
}
