using System.Diagnostics;
using Robotics.Contract;
using Robotics.Contract.Environments;
using Robotics.Training.Checkpoints;
using Robotics.Training.Configuration;
using Robotics.Training.Environments;
using Robotics.Training.Monitoring;
using Robotics.Training.Normalization;
using Robotics.Training.Optimization;
using Robotics.Training.Policies;
using Robotics.Training.Policies.Sac;
using Robotics.Training.Tensors;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Robotics.Training.Algorithms.Sac;

/// <summary>
/// Soft actor-critic (Haarnoja et al. 2018, with the learned temperature of the second paper), in the
/// shape of CleanRL's sac_continuous_action. One iteration steps every environment StepsPerIteration
/// times into the replay buffer (uniform random actions until LearningStarts transitions are held),
/// then runs UpdatesPerStep gradient updates per new transition: critics, actor, temperature, targets.
/// Observations are stored raw and normalized with the current running statistics when sampled, so the
/// exported normalization is the one the networks were last trained with.
/// </summary>
public sealed class SacAlgorithm : IAlgorithm
{
    private readonly SacOptions options;
    private readonly SacSizes sizes;
    private readonly Device device;
    private readonly EnvSpec spec;
    // TorchSharp's Adam default, which the optimizers below are made with.
    private const double AdamEps = 1e-8;
    private readonly Adam actorOptimizer;
    private readonly Adam criticOptimizer;
    private readonly Adam? alphaOptimizer;
    private readonly Parameter logAlpha;
    private readonly List<Parameter> criticParameters;
    private readonly ReplayBatch batch;
    private readonly ActionMapping actionMapping;
    private readonly DeterministicActing deterministic;
    private readonly VectorStep step;
    private readonly float[] currentObservations;
    private readonly float[] policyActions;
    private readonly float[] robotActions;
    private long gradientUpdates;
    private long transitionsCollected;

    public SacAlgorithm(TrainingConfig config, EnvSpec spec, Device device)
    {
        if (spec.CriticObservationSize > 0)
            throw new ConfigException(config.Task, "critic_observations",
                "sac's Q networks do not take critic observations; train this task with an on-policy algorithm (ppo, a2c, reinforce, trpo), or remove critic_observations from the task");
        options = config.Options<SacOptions>();
        sizes = options.SizesFor(spec.NumEnvs, spec.ActionSize);
        this.device = device;
        this.spec = spec;
        var hidden = config.Policy.HiddenSizes;
        Actor = new SquashedGaussianActor(spec.ObservationSize, spec.ActionSize, hidden, config.Policy.Activation, options.LogStdMin, options.LogStdMax);
        Critic = new TwinQNetwork(spec.ObservationSize, spec.ActionSize, hidden, config.Policy.Activation);
        TargetCritic = new TwinQNetwork(spec.ObservationSize, spec.ActionSize, hidden, config.Policy.Activation);
        Actor.to(device);
        Critic.to(device);
        TargetCritic.to(device);
        SacLosses.HardUpdate(Critic, TargetCritic);
        foreach (var p in TargetCritic.parameters()) p.requires_grad = false;
        using var initialLogAlpha = Math.Log(options.InitialAlpha).ToScalar();
        logAlpha = new Parameter(torch.full(1, initialLogAlpha, dtype: float32, device: device), requires_grad: options.AutoAlpha);

        actorOptimizer = optim.Adam(Actor.parameters(), lr: options.ActorLearningRate);
        criticParameters = Critic.parameters().ToList();
        criticOptimizer = optim.Adam(criticParameters, lr: options.CriticLearningRate);
        alphaOptimizer = options.AutoAlpha ? optim.Adam([logAlpha], lr: options.AlphaLearningRate) : null;

        ObservationNormalizer = new ObservationNormalizer(spec.ObservationSize, config.Normalization.Observations, (float)config.Normalization.ObsClip);
        Buffer = new ReplayBuffer(options.BufferSize, spec.ObservationSize, spec.ActionSize);
        batch = new ReplayBatch(options.BatchSize, spec.ObservationSize, spec.ActionSize);
        actionMapping = new ActionMapping(spec);
        step = VectorStep.For(spec);
        currentObservations = new float[spec.NumEnvs * spec.ObservationSize];
        policyActions = new float[spec.NumEnvs * spec.ActionSize];
        robotActions = new float[spec.NumEnvs * spec.ActionSize];
        deterministic = new DeterministicActing(ObservationNormalizer, actionMapping);
    }

    public string Name => "sac";
    public int StepsPerIteration => sizes.TransitionsPerIteration;
    public double LearningRateScale { get; set; } = 1.0;
    public SacSizes Sizes => sizes;
    public SquashedGaussianActor Actor { get; }
    public TwinQNetwork Critic { get; }
    public TwinQNetwork TargetCritic { get; }
    public ObservationNormalizer ObservationNormalizer { get; }
    public ReplayBuffer Buffer { get; }
    public double Alpha
    {
        get
        {
            using var scope = torch.NewDisposeScope();
            return Math.Exp(logAlpha.detach().cpu().item<float>());
        }
    }

    /// <summary>True once the buffer holds enough transitions for the policy to act and learn.</summary>
    public bool Learning => Buffer.Count >= Math.Max(options.LearningStarts, options.BatchSize);

    public void ResetEnvironments(IVectorEnv env, int seed)
    {
        env.Reset(seed, step);
        step.Observations.CopyTo(currentObservations, 0);
        ObservationNormalizer.Update(currentObservations, spec.NumEnvs);
    }

    public void Collect(IVectorEnv env, List<EpisodeRecord> episodes, MetricRecord metrics)
    {
        int n = spec.NumEnvs, obsSize = spec.ObservationSize, actSize = spec.ActionSize;
        int physicsResets = 0, randomSteps = 0;
        long waitTicks = 0; // blocked on the environments' Step
        float rewardScale = (float)options.RewardScale;
        using var noGrad = torch.no_grad();
        for (int t = 0; t < options.StepsPerIteration; t++)
        {
            using (var scope = torch.NewDisposeScope())
            {
                Tensor actions;
                if (Learning)
                {
                    (actions, _, _) = Actor.Sample(NormalizedOnDevice(currentObservations, n));
                }
                else
                {
                    actions = torch.rand(n, actSize).mul(FixedScalars.Two).sub(FixedScalars.One);
                    randomSteps++;
                }

                actions.cpu().contiguous().data<float>().CopyTo(policyActions);
            }

            actionMapping.ToRobotUnits(policyActions, robotActions);
            long waitFrom = Stopwatch.GetTimestamp();
            env.Step(robotActions, step);
            waitTicks += Stopwatch.GetTimestamp() - waitFrom;
            physicsResets += step.PhysicsResets;
            episodes.AddRange(step.Episodes);

            // Timeout bootstrapping: a finished episode's next observation is its final one (the step's
            // Observations already hold the next episode's first); only a termination is stored as done.
            for (int e = 0; e < n; e++)
            {
                bool finished = step.Terminated[e] || step.Truncated[e];
                var next = finished ? step.FinalObservationOf(e) : step.ObservationOf(e);
                Buffer.Add(currentObservations.AsSpan(e * obsSize, obsSize), policyActions.AsSpan(e * actSize, actSize),
                    step.Rewards[e] * rewardScale, next, step.Terminated[e]);
            }

            transitionsCollected += n;
            step.Observations.CopyTo(currentObservations, 0);
            ObservationNormalizer.Update(currentObservations, n);
        }

        metrics["env/physics_resets"] = physicsResets;
        metrics["perf/env_wait_seconds"] = (double)waitTicks / Stopwatch.Frequency;
        metrics["charts/random_action_fraction"] = (double)randomSteps / options.StepsPerIteration;
        metrics["charts/buffer_size"] = Buffer.Count;
    }

    public bool Learn(double progress, MetricRecord metrics, out string? nonFiniteTensor)
    {
        nonFiniteTensor = null;
        var stats = new UpdateStats();
        double actorLr = options.ActorLearningRate * LearningRateScale;
        if (!Learning)
        {
            stats.WriteTo(metrics);
            WriteCounters(metrics, actorLr, updatesThisIteration: 0);
            return true;
        }

        SetLearningRates();
        nonFiniteTensor = NonFiniteUpdate.RunOrUndo(AllParameters(), Optimizers(), () => Update(stats), FirstNonFiniteParameter, metrics);
        if (nonFiniteTensor is not null) return false;

        gradientUpdates += stats.Count;
        stats.WriteTo(metrics);
        WriteCounters(metrics, actorLr, stats.Count);
        return true;
    }

    /// <summary>The iteration's gradient updates (critics, actor, temperature, targets); returns the name of a non-finite tensor, or null.</summary>
    private string? Update(UpdateStats stats)
    {
        using var normalization = NormalizationTensors();
        var indices = new long[options.BatchSize];
        for (int u = 0; u < sizes.UpdatesPerIteration; u++)
        {
            using var scope = torch.NewDisposeScope();
            using (var drawn = torch.randint(0, Buffer.Count, [options.BatchSize], dtype: int64)) drawn.data<long>().CopyTo(indices);
            Buffer.Gather(indices, batch);
            var obs = normalization.Apply(Tensor2(batch.Observations, spec.ObservationSize));
            var nextObs = normalization.Apply(Tensor2(batch.NextObservations, spec.ObservationSize));
            var actions = Tensor2(batch.Actions, spec.ActionSize);
            var rewards = torch.tensor(batch.Rewards).to(device);
            var terminated = torch.tensor(batch.Terminated).to(device);
            var alpha = logAlpha.exp().detach();

            // Critics: regress both Q networks on the soft Bellman target of the target critics.
            Tensor target;
            using (torch.no_grad())
            {
                var (nextActions, nextLogProb, _) = Actor.Sample(nextObs);
                var (nextQ1, nextQ2) = TargetCritic.Both(nextObs, nextActions);
                target = SacLosses.SoftTarget(rewards, terminated, torch.minimum(nextQ1, nextQ2), nextLogProb, alpha, options.Gamma);
            }

            var (q1, q2) = Critic.Both(obs, actions);
            var qf1Loss = SacLosses.CriticLoss(q1, target);
            var qf2Loss = SacLosses.CriticLoss(q2, target);
            var qfLoss = qf1Loss.Plus(qf2Loss);
            if (NonFiniteUpdate.FirstNonFinite(("critic loss", qfLoss)) is { } badCritic) return badCritic;
            criticOptimizer.zero_grad();
            qfLoss.backward();
            AdamStep.Step(criticOptimizer, AdamEps);

            // Actor: maximize min Q of a reparameterized action minus alpha times its log-probability.
            var (piActions, logProb, logStd) = Actor.Sample(obs);
            var (piQ1, piQ2) = CriticWithoutParameterGradients(obs, piActions);
            var actorLoss = SacLosses.ActorLoss(logProb, torch.minimum(piQ1, piQ2), alpha);
            if (NonFiniteUpdate.FirstNonFinite(("actor loss", actorLoss)) is { } badActor) return badActor;
            actorOptimizer.zero_grad();
            actorLoss.backward();
            AdamStep.Step(actorOptimizer, AdamEps);

            // Temperature: move log alpha so that the entropy -log pi tracks the target entropy.
            Tensor? alphaLoss = null;
            if (alphaOptimizer is not null)
            {
                alphaLoss = SacLosses.TemperatureLoss(logAlpha, logProb, sizes.TargetEntropy);
                alphaOptimizer.zero_grad();
                alphaLoss.backward();
                AdamStep.Step(alphaOptimizer, AdamEps);
            }

            SacLosses.PolyakUpdate(Critic, TargetCritic, options.Tau);
            stats.Add(qf1Loss, qf2Loss, actorLoss, alphaLoss, alpha, logProb);
            if (u == sizes.UpdatesPerIteration - 1) stats.SetLastBatch(q1, q2, target, logStd);
        }

        return null;
    }

    public float[] ActDeterministic(float[] observations, int batchRows) =>
        deterministic.Act(observations, batchRows, normalized => Actor.Deterministic(OnDevice(normalized, batchRows)));

    public string? FirstNonFiniteParameter() => NonFiniteUpdate.FirstNonFinite(
        Modules().SelectMany(m => m.Module.named_parameters().Select(p => ($"parameter {m.Name}.{p.name}", (Tensor)p.parameter)))
            .Append(("parameter log_alpha", logAlpha)));

    public ExportablePolicy ToExportable(PolicyContract contract, string runName, long stepCount)
    {
        var (mean, var, clip, eps) = ObservationNormalizer.ForExport();
        return new ExportablePolicy(contract, Name, runName, stepCount, mean, var, clip, eps, Actor.DeterministicLayers(), Actor.Activation, "tanh");
    }

    public void SaveState(BinaryWriter writer)
    {
        writer.Write(LearningRateScale);
        writer.Write(gradientUpdates);
        writer.Write(transitionsCollected);
        TensorIo.WriteParameters(writer, Actor);
        TensorIo.WriteParameters(writer, Critic);
        TensorIo.WriteParameters(writer, TargetCritic);
        using (torch.NewDisposeScope())
            writer.Write(logAlpha.detach().cpu().item<float>());
        actorOptimizer.save_state_dict(writer);
        criticOptimizer.save_state_dict(writer);
        alphaOptimizer?.save_state_dict(writer);
        NormalizerIo.Write(writer, ObservationNormalizer.Stats);
        writer.Write(options.SaveBuffer);
        if (options.SaveBuffer) Buffer.Write(writer);
    }

    public void LoadState(BinaryReader reader)
    {
        LearningRateScale = reader.ReadDouble();
        gradientUpdates = reader.ReadInt64();
        transitionsCollected = reader.ReadInt64();
        TensorIo.ReadParameters(reader, Actor);
        TensorIo.ReadParameters(reader, Critic);
        TensorIo.ReadParameters(reader, TargetCritic);
        using (torch.no_grad())
        using (var savedLogAlpha = reader.ReadSingle().ToScalar())
            logAlpha.fill_(savedLogAlpha);
        actorOptimizer.load_state_dict(reader);
        criticOptimizer.load_state_dict(reader);
        alphaOptimizer?.load_state_dict(reader);
        NormalizerIo.Read(reader, ObservationNormalizer.Stats);
        // A checkpoint without its buffer resumes with an empty one, which refills with random actions up to LearningStarts.
        Buffer.Clear();
        if (reader.ReadBoolean()) Buffer.Read(reader);
    }

    public void Dispose()
    {
        actorOptimizer.Dispose();
        criticOptimizer.Dispose();
        alphaOptimizer?.Dispose();
        logAlpha.Dispose();
        Actor.Dispose();
        Critic.Dispose();
        TargetCritic.Dispose();
    }

    private void WriteCounters(MetricRecord metrics, double actorLr, int updatesThisIteration)
    {
        metrics["losses/updates"] = updatesThisIteration;
        metrics["charts/gradient_updates"] = gradientUpdates;
        metrics["charts/replay_ratio"] = transitionsCollected == 0 ? 0 : (double)gradientUpdates / transitionsCollected;
        metrics["charts/buffer_size"] = Buffer.Count;
        metrics["charts/learning_rate"] = actorLr;
        metrics["charts/critic_learning_rate"] = options.CriticLearningRate * LearningRateScale;
    }

    private void SetLearningRates()
    {
        foreach (var group in actorOptimizer.ParamGroups) group.LearningRate = options.ActorLearningRate * LearningRateScale;
        foreach (var group in criticOptimizer.ParamGroups) group.LearningRate = options.CriticLearningRate * LearningRateScale;
        if (alphaOptimizer is not null)
            foreach (var group in alphaOptimizer.ParamGroups) group.LearningRate = options.AlphaLearningRate * LearningRateScale;
    }

    private IEnumerable<(string Name, nn.Module Module)> Modules() =>
        [("actor", Actor), ("critic", Critic), ("target_critic", TargetCritic)];

    private Tensor Tensor2(float[] rows, int width) => torch.tensor(rows, rows.Length / width, width).to(device);

    private Tensor NormalizedOnDevice(float[] raw, int rows)
    {
        var normalized = new float[raw.Length];
        ObservationNormalizer.Normalize(raw, normalized);
        return OnDevice(normalized, rows);
    }

    private Tensor OnDevice(float[] normalized, int rows) => torch.tensor(normalized, rows, spec.ObservationSize).to(device);

    private NormalizationOnDevice NormalizationTensors()
    {
        var (mean, var, clip, eps) = ObservationNormalizer.ForExport();
        return new NormalizationOnDevice(
            torch.tensor(mean).to(device),
            torch.tensor(var.Select(v => MathF.Sqrt(v + eps)).ToArray()).to(device),
            clip);
    }

    private List<Tensor> AllParameters() =>
        Modules().SelectMany(m => m.Module.parameters()).Append(logAlpha).Select(p => (Tensor)p).ToList();

    private List<OptimizerHelper> Optimizers() =>
        alphaOptimizer is null ? [actorOptimizer, criticOptimizer] : [actorOptimizer, criticOptimizer, alphaOptimizer];

    /// <summary>The running normalization as device tensors for one learning call: z = clamp((o - mean) / std, -clip, clip).</summary>
    private sealed class NormalizationOnDevice(Tensor mean, Tensor std, float clip) : IDisposable
    {
        private readonly Scalar low = (-clip).ToScalar();
        private readonly Scalar high = clip.ToScalar();

        public Tensor Apply(Tensor raw) => ((raw - mean) / std).clamp(low, high);

        public void Dispose()
        {
            low.Dispose();
            high.Dispose();
            mean.Dispose();
            std.Dispose();
        }
    }

    /// <summary>
    /// Both critics' values of the actor's actions for the actor's loss. The critics take no step from that loss, so their
    /// parameters leave the graph (the gradient still flows through them to the actions): the backward skips their
    /// weight gradients, about a tenth of an update's arithmetic.
    /// </summary>
    public (Tensor Q1, Tensor Q2) CriticWithoutParameterGradients(Tensor observations, Tensor actions)
    {
        foreach (var p in criticParameters) p.requires_grad = false;
        try
        {
            return Critic.Both(observations, actions);
        }
        finally
        {
            foreach (var p in criticParameters) p.requires_grad = true;
        }
    }

    /// <summary>Losses averaged over an iteration's updates; Q statistics of its last minibatch.</summary>
    private sealed class UpdateStats
    {
        private double qf1, qf2, actor, alphaLoss, alpha, entropy;
        private readonly Dictionary<string, double> last = new();

        /// <summary>Gradient updates added so far.</summary>
        public int Count { get; private set; }

        public void Add(Tensor qf1Loss, Tensor qf2Loss, Tensor actorLoss, Tensor? temperatureLoss, Tensor alphaValue, Tensor logProb)
        {
            Count++;
            qf1 += qf1Loss.item<float>();
            qf2 += qf2Loss.item<float>();
            actor += actorLoss.item<float>();
            alphaLoss += temperatureLoss is null ? 0 : temperatureLoss.item<float>();
            alpha += alphaValue.item<float>();
            entropy += -logProb.detach().mean().item<float>();
        }

        public void SetLastBatch(Tensor q1, Tensor q2, Tensor target, Tensor logStd)
        {
            using var noGrad = torch.no_grad();
            foreach (var (name, t) in new[] { ("qf1", q1), ("qf2", q2), ("target", target) })
            {
                last[$"q/{name}_mean"] = t.mean().item<float>();
                last[$"q/{name}_min"] = t.min().item<float>();
                last[$"q/{name}_max"] = t.max().item<float>();
            }

            var perDimension = logStd.detach().mean(new long[] { 0 });
            last["policy/log_std_mean"] = perDimension.mean().item<float>();
            last["policy/log_std_min"] = perDimension.min().item<float>();
            last["policy/log_std_max"] = perDimension.max().item<float>();
        }

        public void WriteTo(MetricRecord m)
        {
            double n = Count == 0 ? double.NaN : Count;
            m["losses/qf1_loss"] = qf1 / n;
            m["losses/qf2_loss"] = qf2 / n;
            m["losses/qf_loss"] = (qf1 + qf2) / n;
            m["losses/actor_loss"] = actor / n;
            m["losses/alpha_loss"] = alphaLoss / n;
            m["losses/alpha"] = alpha / n;
            m["losses/entropy"] = entropy / n;
            foreach (var name in new[] { "qf1", "qf2", "target" })
                foreach (var stat in new[] { "mean", "min", "max" })
                    m[$"q/{name}_{stat}"] = last.GetValueOrDefault($"q/{name}_{stat}", double.NaN);
            foreach (var stat in new[] { "mean", "min", "max" })
                m[$"policy/log_std_{stat}"] = last.GetValueOrDefault($"policy/log_std_{stat}", double.NaN);
        }
    }
}
