using Robotics.Contract;
using Robotics.Sim.Environments;
using Robotics.Training.Configuration;
using Robotics.Training.Environments;
using Robotics.Training.Monitoring;
using Robotics.Training.Normalization;
using Robotics.Training.Checkpoints;
using Robotics.Training.Policies;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Robotics.Training.Algorithms.Ppo;

/// <summary>
/// Proximal policy optimization with a clipped surrogate (Schulman et al. 2017), in the shape of
/// CleanRL's ppo_continuous_action: collect a rollout, compute GAE, then several epochs of minibatch
/// updates with early stopping on approximate KL.
/// </summary>
public sealed class PpoAlgorithm : IAlgorithm
{
    private readonly PpoOptions options;
    private readonly PpoSizes sizes;
    private readonly Device device;
    private readonly EnvSpec spec;
    private readonly Adam optimizer;
    private readonly RolloutStorage storage;
    private readonly ActionMapping actionMapping;
    private readonly VectorStep step;
    private readonly float[] currentObservations;
    private readonly float[] robotActions;
    private readonly float[] normalizedFinal;

    public PpoAlgorithm(TrainingConfig config, EnvSpec spec, Device device)
    {
        options = config.Ppo;
        sizes = options.SizesFor(spec.NumEnvs);
        this.device = device;
        this.spec = spec;
        Policy = new GaussianActorCritic(spec.ObservationSize, spec.ActionSize, config.Policy);
        Policy.to(device);
        optimizer = optim.Adam(Policy.parameters(), lr: options.LearningRate, eps: 1e-5);
        ObservationNormalizer = new ObservationNormalizer(spec.ObservationSize, config.Normalization.Observations, (float)config.Normalization.ObsClip);
        RewardScaler = new RewardScaler(spec.NumEnvs, options.Gamma, config.Normalization.RewardScaling, (float)config.Normalization.RewardClip);
        storage = new RolloutStorage(options.RolloutSteps, spec.NumEnvs, spec.ObservationSize, spec.ActionSize);
        actionMapping = new ActionMapping(spec);
        step = new VectorStep(spec.NumEnvs, spec.ObservationSize);
        currentObservations = new float[spec.NumEnvs * spec.ObservationSize];
        robotActions = new float[spec.NumEnvs * spec.ActionSize];
        normalizedFinal = new float[spec.ObservationSize];
    }

    public string Name => "ppo";
    public int StepsPerIteration => sizes.Batch;
    public double LearningRateScale { get; set; } = 1.0;
    public GaussianActorCritic Policy { get; }
    public ObservationNormalizer ObservationNormalizer { get; }
    public RewardScaler RewardScaler { get; }
    public RolloutStorage Storage => storage;

    public void ResetEnvironments(IVectorEnv env, int seed)
    {
        env.Reset(seed, step);
        step.Observations.CopyTo(currentObservations, 0);
        ObservationNormalizer.Update(currentObservations, spec.NumEnvs);
        RewardScaler.ResetReturns();
        storage.Filled = 0;
    }

    public void Collect(IVectorEnv env, List<EpisodeRecord> episodes, MetricRecord metrics)
    {
        int n = spec.NumEnvs;
        storage.Filled = 0;
        int physicsResets = 0;
        using var noGrad = torch.no_grad();
        for (int t = 0; t < storage.Steps; t++)
        {
            using var scope = torch.NewDisposeScope();
            var obsRow = storage.ObservationsAt(t);
            ObservationNormalizer.Normalize(currentObservations, obsRow);
            var obs = ToDevice(obsRow, n, spec.ObservationSize);
            var (action, logProb) = Policy.Sample(obs);
            var value = Policy.Value(obs);
            CopyToHost(action, storage.ActionsAt(t));
            CopyToHost(logProb, storage.Row(storage.LogProbs, t));
            CopyToHost(value, storage.Row(storage.Values, t));

            actionMapping.ToRobotUnits(storage.ActionsAt(t), robotActions);
            env.Step(robotActions, step);
            physicsResets += step.PhysicsResets;
            episodes.AddRange(step.Episodes);

            var rewards = storage.Row(storage.Rewards, t);
            step.Rewards.CopyTo(rewards);
            step.Terminated.CopyTo(storage.Row(storage.Terminated, t));
            step.Truncated.CopyTo(storage.Row(storage.Truncated, t));

            // Timeout bootstrapping: a truncated episode's future is worth V(final observation);
            // a terminated one has none. GAE reads FinalValues only where Truncated is set.
            var finalValues = storage.Row(storage.FinalValues, t);
            finalValues.Clear();
            for (int e = 0; e < n; e++)
            {
                if (!step.Truncated[e] || step.Terminated[e]) continue;
                ObservationNormalizer.Normalize(step.FinalObservationOf(e), normalizedFinal);
                using var finalObs = torch.tensor(normalizedFinal, 1, spec.ObservationSize).to(device);
                finalValues[e] = Policy.Value(finalObs).cpu().item<float>();
            }

            RewardScaler.ScaleInPlace(rewards, step.Terminated, step.Truncated);
            step.Observations.CopyTo(currentObservations, 0);
            ObservationNormalizer.Update(currentObservations, n);
            storage.Filled = t + 1;
        }

        using (var scope = torch.NewDisposeScope())
        {
            var next = new float[n * spec.ObservationSize];
            ObservationNormalizer.Normalize(currentObservations, next);
            CopyToHost(Policy.Value(ToDevice(next, n, spec.ObservationSize)), storage.NextValues);
        }

        metrics["env/physics_resets"] = physicsResets;
    }

    public bool Learn(double progress, MetricRecord metrics, out string? nonFiniteTensor)
    {
        nonFiniteTensor = null;
        if (storage.Filled != storage.Steps)
            throw new InvalidOperationException($"the rollout holds {storage.Filled} of {storage.Steps} steps; collect a full one first");

        storage.ComputeAdvantages(options.Gamma, options.GaeLambda);
        double lr = LearningRate(progress);
        foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;

        // Kept so that an update that meets a NaN or Inf can be undone as a whole.
        var parametersBefore = SnapshotParameters();
        var optimizerBefore = SnapshotOptimizer();

        int batch = sizes.Batch;
        using var bObs = torch.tensor(storage.Observations, batch, spec.ObservationSize).to(device);
        using var bActions = torch.tensor(storage.Actions, batch, spec.ActionSize).to(device);
        using var bLogProbs = torch.tensor(storage.LogProbs).to(device);
        using var bAdvantages = torch.tensor(storage.Advantages).to(device);
        using var bReturns = torch.tensor(storage.Returns).to(device);
        using var bValues = torch.tensor(storage.Values).to(device);

        var stats = new UpdateStats();
        int epochsRun = 0;
        bool failed = false;
        for (int epoch = 0; epoch < options.Epochs && !failed; epoch++)
        {
            using var permutation = torch.randperm(batch, device: device);
            double epochKl = 0;
            int epochMinibatches = 0;
            for (int start = 0; start + sizes.Minibatch <= batch; start += sizes.Minibatch)
            {
                using var scope = torch.NewDisposeScope();
                var idx = permutation.narrow(0, start, sizes.Minibatch);

                var (newLogProb, entropy, newValue) = Policy.Evaluate(bObs.index_select(0, idx), bActions.index_select(0, idx));
                var logRatio = newLogProb - bLogProbs.index_select(0, idx);
                var ratio = logRatio.exp();

                var mbAdvantages = bAdvantages.index_select(0, idx);
                if (options.NormalizeAdvantages) mbAdvantages = PpoLosses.NormalizeAdvantages(mbAdvantages);

                var pgLoss = PpoLosses.PolicyLoss(mbAdvantages, ratio, options.ClipCoef);
                var valueLoss = PpoLosses.ValueLoss(newValue, bValues.index_select(0, idx), bReturns.index_select(0, idx), options.ClipCoef, options.ClipValueLoss);
                var entropyLoss = entropy.mean();
                var loss = pgLoss - options.EntropyCoef * entropyLoss + options.ValueCoef * valueLoss;

                // One read of the figures this minibatch reports (each read is a round trip to the native side).
                float[] figures;
                using (torch.no_grad())
                {
                    figures = torch.stack([loss, pgLoss, valueLoss, entropyLoss, PpoLosses.ApproxKl(logRatio, ratio), PpoLosses.ClipFraction(ratio, options.ClipCoef)])
                        .cpu().data<float>().ToArray();
                }

                if (!float.IsFinite(figures[0]))
                {
                    nonFiniteTensor = FirstNonFinite(("policy loss", pgLoss), ("value loss", valueLoss), ("entropy", entropyLoss)) ?? "loss";
                    failed = true;
                    break;
                }

                optimizer.zero_grad();
                loss.backward();
                // The global norm is not finite exactly when some gradient is not; only then look for which.
                double gradNorm = nn.utils.clip_grad_norm_(Policy.parameters(), options.MaxGradNorm);
                if (!double.IsFinite(gradNorm))
                {
                    nonFiniteTensor = FirstNonFiniteGradient() ?? "gradient norm";
                    failed = true;
                    break;
                }

                double clippedNorm = Math.Min(gradNorm, options.MaxGradNorm);
                optimizer.step();

                double approxKl = figures[4];
                stats.Add(figures[1], figures[2], figures[3], approxKl, figures[5], gradNorm, clippedNorm);
                epochKl += approxKl;
                epochMinibatches++;
            }

            epochsRun = epoch + 1;
            if (!failed && options.TargetKl is double targetKl && epochMinibatches > 0 && epochKl / epochMinibatches > targetKl) break;
        }

        // Finite gradients and Adam keep parameters finite; one check per update catches the rest.
        if (!failed && FirstNonFiniteParameter() is { } badParameter)
        {
            nonFiniteTensor = badParameter;
            failed = true;
        }

        if (failed)
        {
            RestoreParameters(parametersBefore);
            RestoreOptimizer(optimizerBefore);
            metrics["losses/skipped_update"] = 1;
            return false;
        }

        stats.WriteTo(metrics);
        metrics["losses/epochs"] = epochsRun;
        metrics["losses/explained_variance"] = PpoLosses.ExplainedVariance(storage.Values, storage.Returns);
        metrics["losses/advantage_mean"] = storage.Advantages.Average();
        metrics["losses/advantage_std"] = Std(storage.Advantages);
        metrics["charts/learning_rate"] = lr;
        using (torch.no_grad())
        {
            var logStd = Policy.LogStd.detach().cpu().data<float>().ToArray();
            metrics["policy/log_std_mean"] = logStd.Average();
            metrics["policy/log_std_min"] = logStd.Min();
            metrics["policy/log_std_max"] = logStd.Max();
        }

        return true;
    }

    public double LearningRate(double progress)
    {
        progress = Math.Clamp(progress, 0, 1);
        double factor = options.LrSchedule switch
        {
            "constant" => 1.0,
            "linear" => 1.0 - progress,
            "cosine" => 0.5 * (1 + Math.Cos(Math.PI * progress)),
            _ => throw new InvalidOperationException($"unknown lr_schedule '{options.LrSchedule}'"),
        };
        // A floor keeps the last updates from having no effect at all.
        return options.LearningRate * LearningRateScale * Math.Max(factor, 0.01);
    }

    public float[] ActDeterministic(float[] observations, int batch)
    {
        var normalized = new float[observations.Length];
        ObservationNormalizer.Normalize(observations, normalized);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var mean = Policy.Mean(ToDevice(normalized, batch, spec.ObservationSize)).cpu().data<float>().ToArray();
        var result = new float[batch * spec.ActionSize];
        actionMapping.ToRobotUnits(mean, result);
        return result;
    }

    public string? FirstNonFiniteParameter()
    {
        using var scope = torch.NewDisposeScope();
        foreach (var (name, p) in Policy.named_parameters())
        {
            if (!torch.isfinite(p).all().item<bool>()) return $"parameter {name}";
        }

        return null;
    }

    public ExportablePolicy ToExportable(PolicyContract contract, string runName, long stepCount)
    {
        var (mean, var, clip, eps) = ObservationNormalizer.ForExport();
        return new ExportablePolicy(contract, Name, runName, stepCount, mean, var, clip, eps, Policy.ActorLayers(), Policy.Activation, "clip");
    }

    public void SaveState(BinaryWriter writer)
    {
        writer.Write(LearningRateScale);
        TensorIo.WriteParameters(writer, Policy);
        optimizer.save_state_dict(writer);
        NormalizerIo.Write(writer, ObservationNormalizer.Stats);
        NormalizerIo.Write(writer, RewardScaler.Stats);
    }

    public void LoadState(BinaryReader reader)
    {
        LearningRateScale = reader.ReadDouble();
        TensorIo.ReadParameters(reader, Policy);
        optimizer.load_state_dict(reader);
        NormalizerIo.Read(reader, ObservationNormalizer.Stats);
        NormalizerIo.Read(reader, RewardScaler.Stats);
    }

    public void Dispose()
    {
        optimizer.Dispose();
        Policy.Dispose();
    }

    private Tensor ToDevice(ReadOnlySpan<float> rows, int count, int width) =>
        torch.tensor(rows.ToArray(), count, width).to(device);

    private static void CopyToHost(Tensor tensor, Span<float> into) =>
        tensor.cpu().contiguous().data<float>().CopyTo(into);

    private static string? FirstNonFinite(params (string Name, Tensor Value)[] tensors)
    {
        foreach (var (name, value) in tensors)
        {
            if (!torch.isfinite(value).all().item<bool>()) return name;
        }

        return null;
    }

    private string? FirstNonFiniteGradient()
    {
        foreach (var (name, p) in Policy.named_parameters())
        {
            if (p.grad is { } g && !torch.isfinite(g).all().item<bool>()) return $"gradient of {name}";
        }

        return null;
    }

    private List<Tensor> SnapshotParameters()
    {
        using var noGrad = torch.no_grad();
        return Policy.parameters().Select(p => p.detach().clone().MoveToOuterDisposeScope()).ToList();
    }

    private void RestoreParameters(List<Tensor> snapshot)
    {
        using var noGrad = torch.no_grad();
        foreach (var (p, saved) in Policy.parameters().Zip(snapshot)) p.copy_(saved);
        foreach (var t in snapshot) t.Dispose();
    }

    private byte[] SnapshotOptimizer()
    {
        using var memory = new MemoryStream();
        using (var writer = new BinaryWriter(memory, System.Text.Encoding.UTF8, leaveOpen: true)) optimizer.save_state_dict(writer);
        return memory.ToArray();
    }

    private void RestoreOptimizer(byte[] state)
    {
        using var reader = new BinaryReader(new MemoryStream(state));
        optimizer.load_state_dict(reader);
    }

    private static double Std(float[] x)
    {
        double mean = x.Average();
        return Math.Sqrt(x.Sum(v => (v - mean) * (v - mean)) / x.Length);
    }

    /// <summary>Averages of the per-minibatch figures of one update.</summary>
    private sealed class UpdateStats
    {
        private int count;
        private double pg, value, entropy, kl, clipFraction, gradNorm, clippedNorm;

        public void Add(double pgLoss, double valueLoss, double entropyValue, double approxKl, double clipFrac, double norm, double clipped)
        {
            count++;
            pg += pgLoss;
            value += valueLoss;
            entropy += entropyValue;
            kl += approxKl;
            clipFraction += clipFrac;
            gradNorm += norm;
            clippedNorm += clipped;
        }

        public void WriteTo(MetricRecord m)
        {
            double n = Math.Max(count, 1);
            m["losses/policy_loss"] = pg / n;
            m["losses/value_loss"] = value / n;
            m["losses/entropy"] = entropy / n;
            m["losses/approx_kl"] = kl / n;
            m["losses/clipfrac"] = clipFraction / n;
            m["losses/grad_norm"] = gradNorm / n;
            m["losses/grad_norm_clipped"] = clippedNorm / n;
            m["losses/minibatches"] = count;
        }
    }
}
