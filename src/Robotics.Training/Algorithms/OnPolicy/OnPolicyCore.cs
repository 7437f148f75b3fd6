using System.Diagnostics;
using Robotics.Contract;
using Robotics.Contract.Environments;
using Robotics.Training.Checkpoints;
using Robotics.Training.Configuration;
using Robotics.Training.Environments;
using Robotics.Training.Monitoring;
using Robotics.Training.Normalization;
using Robotics.Training.Policies;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Robotics.Training.Algorithms.OnPolicy;

/// <summary>
/// What the on-policy algorithms (PPO, REINFORCE, A2C, TRPO) share: the Gaussian actor-critic, observation
/// normalization, reward scaling, a <see cref="RolloutStorage"/> filled by one collection loop
/// (timeout bootstrapping included), deterministic acting, export, and the snapshots that undo an update
/// which met a non-finite tensor. The algorithms own only their estimators, losses and optimizers.
/// <para>
/// Where the task has critic observations (<see cref="EnvSpec.CriticObservationSize"/>), the value network sees them
/// after the policy's observations, normalized by statistics of their own: every value (acting, bootstrapping,
/// learning) is computed from those inputs, the policy and its export from the observations alone.
/// </para>
/// </summary>
public sealed class OnPolicyCore : IDisposable
{
    private readonly Device device;
    private readonly EnvSpec spec;
    private readonly ActionMapping actionMapping;
    private readonly VectorStep step;
    private readonly float[] currentObservations;
    private readonly float[] currentCriticObservations;
    private readonly float[] normalizedFinalCritic;
    private readonly float[] robotActions;
    private readonly float[] normalizedFinal;
    private readonly DeterministicActing deterministic;
    private float[]? rawObservations; // [steps, envs, obs] as they came, for the statistics' update after a grouped rollout
    private float[]? rawCriticObservations;

    public OnPolicyCore(TrainingConfig config, EnvSpec spec, Device device, OnPolicyOptions options)
    {
        this.device = device;
        this.spec = spec;
        Policy = new GaussianActorCritic(spec.ObservationSize, spec.ActionSize, config.Policy, spec.CriticObservationSize);
        Policy.to(device);
        ObservationNormalizer = new ObservationNormalizer(spec.ObservationSize, config.Normalization.Observations, (float)config.Normalization.ObsClip);
        CriticObservationNormalizer = spec.CriticObservationSize > 0
            ? new ObservationNormalizer(spec.CriticObservationSize, config.Normalization.Observations, (float)config.Normalization.ObsClip)
            : null;
        RewardScaler = new RewardScaler(spec.NumEnvs, options.Gamma, config.Normalization.RewardScaling, (float)config.Normalization.RewardClip);
        Storage = new RolloutStorage(options.RolloutSteps, spec.NumEnvs, spec.ObservationSize, spec.ActionSize, spec.CriticObservationSize);
        actionMapping = new ActionMapping(spec);
        step = VectorStep.For(spec);
        currentObservations = new float[spec.NumEnvs * spec.ObservationSize];
        currentCriticObservations = new float[spec.NumEnvs * spec.CriticObservationSize];
        normalizedFinalCritic = new float[spec.CriticObservationSize];
        robotActions = new float[spec.NumEnvs * spec.ActionSize];
        normalizedFinal = new float[spec.ObservationSize];
        deterministic = new DeterministicActing(ObservationNormalizer, actionMapping);
    }

    public GaussianActorCritic Policy { get; }
    public ObservationNormalizer ObservationNormalizer { get; }

    /// <summary>Statistics of the critic observations (null when the task has none).</summary>
    public ObservationNormalizer? CriticObservationNormalizer { get; }

    private int CriticWidth => spec.CriticObservationSize;
    public RewardScaler RewardScaler { get; }
    public RolloutStorage Storage { get; }
    public Device Device => device;
    public EnvSpec Spec => spec;
    public int Batch => Storage.Rows;

    /// <summary>Update the observation statistics while collecting (true in training; measurements freeze them to keep the policy fixed).</summary>
    public bool UpdateObservationStatistics { get; set; } = true;

    /// <summary>The policy's parameters (mean network and log-std), without the value network's.</summary>
    public List<Parameter> ActorParameters() =>
        Policy.named_parameters().Where(p => !p.name.StartsWith("critic", StringComparison.Ordinal)).Select(p => p.parameter).ToList();

    /// <summary>The value network's parameters.</summary>
    public List<Parameter> CriticParameters() =>
        Policy.named_parameters().Where(p => p.name.StartsWith("critic", StringComparison.Ordinal)).Select(p => p.parameter).ToList();

    public void ResetEnvironments(IVectorEnv env, int seed)
    {
        env.Reset(seed, step);
        step.Observations.CopyTo(currentObservations, 0);
        ObservationNormalizer.Update(currentObservations, spec.NumEnvs);
        step.CriticObservations.CopyTo(currentCriticObservations, 0);
        CriticObservationNormalizer?.Update(currentCriticObservations, spec.NumEnvs);
        RewardScaler.ResetReturns();
        Storage.Filled = 0;
    }

    /// <summary>
    /// Fills <see cref="Storage"/> with one rollout of <see cref="RolloutStorage.Steps"/> steps from every environment.
    /// Environments in groups (env_groups > 1) are stepped out of phase: each group's next actions go out as soon as
    /// its results are in, taking the groups in the order their results arrive (<see cref="CollectInGroups"/>).
    /// </summary>
    public void Collect(IVectorEnv env, List<EpisodeRecord> episodes, MetricRecord metrics)
    {
        var storage = Storage;
        storage.Filled = 0;
        int physicsResets = 0;
        long waitTicks = 0; // blocked on the environments: a lockstep Step, or no group's results in yet
        using var noGrad = torch.no_grad();
        if (env is GroupedVectorEnv { Count: > 1 } grouped)
        {
            CollectInGroups(grouped, episodes, ref physicsResets, ref waitTicks);
        }
        else
        {
            int n = spec.NumEnvs;
            var split = env as ISplitStepVectorEnv;
            for (int t = 0; t < storage.Steps; t++)
            {
                long waitFrom;
                if (split is not null)
                {
                    // The actions go out before the values are computed, which then overlaps the bridges' stepping.
                    step.Episodes.Clear();
                    step.PhysicsResets = 0;
                    Act(t, 0, n, () => split.SendStep(robotActions));
                    waitFrom = Stopwatch.GetTimestamp();
                    split.ReceiveStep(step, 0);
                }
                else
                {
                    Act(t, 0, n);
                    waitFrom = Stopwatch.GetTimestamp();
                    env.Step(robotActions, step);
                }

                waitTicks += Stopwatch.GetTimestamp() - waitFrom;
                physicsResets += step.PhysicsResets;
                episodes.AddRange(step.Episodes);
                Record(t, 0, n);
                storage.Filled = t + 1;
            }
        }

        using (var scope = torch.NewDisposeScope())
        {
            var next = new float[spec.NumEnvs * spec.ObservationSize];
            ObservationNormalizer.Normalize(currentObservations, next);
            var nextObs = ToDevice(next, spec.NumEnvs, spec.ObservationSize);
            var nextCritic = new float[spec.NumEnvs * CriticWidth];
            CopyToHost(Policy.Value(CriticInputs(nextObs, currentCriticObservations, nextCritic, spec.NumEnvs)), storage.NextValues);
        }

        metrics["env/physics_resets"] = physicsResets;
        metrics["perf/env_wait_seconds"] = (double)waitTicks / Stopwatch.Frequency;
    }

    /// <summary>
    /// One rollout from groups taken in the order their results arrive, each group as far ahead as its own results
    /// allow. The numbers do not depend on that order, only on the grouping: the rollout's action noise is drawn at
    /// its start for every step and environment at once, the observation statistics stay as they were at its start
    /// (the policy sees every group through the same ones), and what depends on an order (reward scaling, the
    /// statistics' update, the episodes' order) is done once the rollout is in, step by step and group by group.
    /// </summary>
    private void CollectInGroups(GroupedVectorEnv grouped, List<EpisodeRecord> episodes, ref int physicsResets, ref long waitTicks)
    {
        var storage = Storage;
        int groups = grouped.Count, steps = storage.Steps;
        int width = spec.ObservationSize;
        rawObservations ??= new float[storage.Observations.Length];
        rawCriticObservations ??= new float[storage.CriticObservations.Length];
        using var noise = torch.randn([steps, spec.NumEnvs, spec.ActionSize], device: device);
        var nextStep = new int[groups];
        var inFlight = new bool[groups];
        var arrived = new List<(int Step, EpisodeRecord Episode)>();
        for (int g = 0; g < groups; g++)
        {
            ActAndSend(grouped, g, t: 0, noise);
            inFlight[g] = true;
        }

        for (int received = 0; received < groups * steps; received++)
        {
            step.Episodes.Clear();
            step.PhysicsResets = 0;
            long waitFrom = Stopwatch.GetTimestamp();
            int g = grouped.ReceiveAnyStep(inFlight, step);
            waitTicks += Stopwatch.GetTimestamp() - waitFrom;
            int t = nextStep[g]++, offset = grouped.OffsetOf(g), count = grouped.SizeOf(g);
            physicsResets += step.PhysicsResets;
            foreach (var episode in step.Episodes) arrived.Add((t, episode));
            Record(t, offset, count, inOrder: false);
            step.Observations.AsSpan(offset * width, count * width).CopyTo(RowsAt(rawObservations, t, offset, count, width));
            step.CriticObservations.AsSpan(offset * CriticWidth, count * CriticWidth).CopyTo(RowsAt(rawCriticObservations, t, offset, count, CriticWidth));
            if (t + 1 < steps) ActAndSend(grouped, g, t + 1, noise);
            else inFlight[g] = false;
        }

        storage.Filled = steps;
        episodes.AddRange(arrived.OrderBy(a => a.Step).ThenBy(a => a.Episode.Env).Select(a => a.Episode));
        for (int t = 0; t < steps; t++)
        {
            for (int g = 0; g < groups; g++)
            {
                int offset = grouped.OffsetOf(g), count = grouped.SizeOf(g);
                ScaleRewardsAndTakeStatistics(t, offset, count, RowsAt(rawObservations, t, offset, count, width), RowsAt(rawCriticObservations, t, offset, count, CriticWidth));
            }
        }
    }

    /// <summary>Rows [offset, offset + count) of step t in a [steps, envs, width] buffer.</summary>
    private Span<float> RowsAt(float[] buffer, int t, int offset, int count, int width) =>
        buffer.AsSpan((t * spec.NumEnvs + offset) * width, count * width);

    /// <summary>
    /// What depends on the order environments are taken in: scales step t's stored rewards of environments
    /// [offset, offset + count) and merges their new observations into the statistics (while training).
    /// </summary>
    private void ScaleRewardsAndTakeStatistics(int t, int offset, int count, ReadOnlySpan<float> observations, ReadOnlySpan<float> criticObservations)
    {
        var storage = Storage;
        RewardScaler.ScaleInPlace(storage.Row(storage.Rewards, t).Slice(offset, count), storage.Row(storage.Terminated, t).Slice(offset, count),
            storage.Row(storage.Truncated, t).Slice(offset, count), offset);
        if (!UpdateObservationStatistics) return;
        ObservationNormalizer.Update(observations, count);
        CriticObservationNormalizer?.Update(criticObservations, count);
    }

    private void ActAndSend(GroupedVectorEnv env, int group, int t, Tensor noise)
    {
        int offset = env.OffsetOf(group), count = env.SizeOf(group);
        Act(t, offset, count, () => env.SendStep(group, robotActions.AsSpan(offset * spec.ActionSize, count * spec.ActionSize)), noise);
    }

    /// <summary>
    /// Samples actions for environments [offset, offset + count) at step t: storage row t and <c>robotActions</c>.
    /// <paramref name="send"/>, when given, runs as soon as the robot actions are written, before the log-probabilities
    /// and values are stored: those need no random draw, so the numbers are the same, and the environments step
    /// while the value network runs. <paramref name="rolloutNoise"/> [steps, envs, act], when given, holds the draws
    /// for the actions; else they come from torch's generator here.
    /// </summary>
    private void Act(int t, int offset, int count, Action? send = null, Tensor? rolloutNoise = null)
    {
        var storage = Storage;
        int width = spec.ObservationSize, actions = spec.ActionSize;
        using var scope = torch.NewDisposeScope();
        var noise = rolloutNoise?[t].narrow(0, offset, count);
        var obsRows = storage.ObservationsAt(t).Slice(offset * width, count * width);
        ObservationNormalizer.Normalize(currentObservations.AsSpan(offset * width, count * width), obsRows);
        var obs = ToDevice(obsRows, count, width);
        var (action, logProb) = Policy.Sample(obs, noise);
        var actionRows = storage.ActionsAt(t).Slice(offset * actions, count * actions);
        CopyToHost(action, actionRows);
        actionMapping.ToRobotUnits(actionRows, robotActions.AsSpan(offset * actions, count * actions));
        send?.Invoke();
        var criticRows = storage.CriticObservationsAt(t).Slice(offset * CriticWidth, count * CriticWidth);
        var value = Policy.Value(CriticInputs(obs, currentCriticObservations.AsSpan(offset * CriticWidth, count * CriticWidth), criticRows, count));
        CopyToHost(logProb, storage.Row(storage.LogProbs, t).Slice(offset, count));
        CopyToHost(value, storage.Row(storage.Values, t).Slice(offset, count));
    }

    /// <summary>
    /// Stores the results of step t for environments [offset, offset + count) and takes their new observations; with
    /// <paramref name="inOrder"/> false the rewards are left unscaled and the statistics as they are, for
    /// <see cref="CollectInGroups"/> to do in its order.
    /// </summary>
    private void Record(int t, int offset, int count, bool inOrder = true)
    {
        var storage = Storage;
        int width = spec.ObservationSize;
        // Roots the bootstrap values' temporaries: one left to the finalizer can be freed inside a native call.
        using var scope = torch.NewDisposeScope();
        var rewards = storage.Row(storage.Rewards, t).Slice(offset, count);
        var terminated = storage.Row(storage.Terminated, t).Slice(offset, count);
        var truncated = storage.Row(storage.Truncated, t).Slice(offset, count);
        step.Rewards.AsSpan(offset, count).CopyTo(rewards);
        step.Terminated.AsSpan(offset, count).CopyTo(terminated);
        step.Truncated.AsSpan(offset, count).CopyTo(truncated);

        // Timeout bootstrapping: a truncated episode's future is worth V(final observation);
        // a terminated one has none. The estimators read FinalValues only where Truncated is set.
        var finalValues = storage.Row(storage.FinalValues, t).Slice(offset, count);
        finalValues.Clear();
        for (int e = offset; e < offset + count; e++)
        {
            if (!step.Truncated[e] || step.Terminated[e]) continue;
            ObservationNormalizer.Normalize(step.FinalObservationOf(e), normalizedFinal);
            using var finalObs = torch.tensor(normalizedFinal, 1, spec.ObservationSize).to(device);
            finalValues[e - offset] = Policy.Value(CriticInputs(finalObs, step.FinalCriticObservationOf(e), normalizedFinalCritic, 1)).cpu().item<float>();
        }

        var observations = step.Observations.AsSpan(offset * width, count * width);
        observations.CopyTo(currentObservations.AsSpan(offset * width));
        var critic = step.CriticObservations.AsSpan(offset * CriticWidth, count * CriticWidth);
        critic.CopyTo(currentCriticObservations.AsSpan(offset * CriticWidth));
        if (inOrder) ScaleRewardsAndTakeStatistics(t, offset, count, observations, critic);
    }

    /// <summary>
    /// The value network's inputs for <paramref name="rows"/> rows: <paramref name="observations"/> (normalized, on the
    /// device) followed by <paramref name="critic"/> normalized into <paramref name="normalized"/>, or the observations
    /// themselves when the task has no critic observations.
    /// </summary>
    private Tensor CriticInputs(Tensor observations, ReadOnlySpan<float> critic, Span<float> normalized, int rows)
    {
        if (CriticObservationNormalizer is null) return observations;
        CriticObservationNormalizer.Normalize(critic, normalized);
        return torch.cat([observations, ToDevice(normalized, rows, CriticWidth)], 1);
    }

    /// <summary>
    /// The rollout's value-network inputs [B, obs + critic obs] for <see cref="BatchTensors"/>' observations: the same
    /// tensor when the task has no critic observations.
    /// </summary>
    public Tensor BatchCriticInputs(Tensor observations) => CriticWidth == 0
        ? observations
        : torch.cat([observations, torch.tensor(Storage.CriticObservations, Batch, CriticWidth).to(device)], 1);

    public void RequireFullRollout()
    {
        if (Storage.Filled != Storage.Steps)
            throw new InvalidOperationException($"the rollout holds {Storage.Filled} of {Storage.Steps} steps; collect a full one first");
    }

    /// <summary>The rollout as device tensors: observations [B, obs], actions [B, act], old log-probabilities [B].</summary>
    public (Tensor Observations, Tensor Actions, Tensor LogProbs) BatchTensors() => (
        torch.tensor(Storage.Observations, Batch, spec.ObservationSize).to(device),
        torch.tensor(Storage.Actions, Batch, spec.ActionSize).to(device),
        torch.tensor(Storage.LogProbs).to(device));

    public Tensor ToDeviceVector(float[] values) => torch.tensor(values).to(device);

    public float[] ActDeterministic(float[] observations, int batch) =>
        deterministic.Act(observations, batch, normalized => Policy.Mean(ToDevice(normalized, batch, spec.ObservationSize)));

    public string? FirstNonFiniteParameter() =>
        NonFiniteUpdate.FirstNonFinite(Policy.named_parameters().Select(p => ($"parameter {p.name}", (Tensor)p.parameter)));

    public string? FirstNonFiniteGradient() =>
        NonFiniteUpdate.FirstNonFinite(Policy.named_parameters()
            .Select(p => (Name: $"gradient of {p.name}", Grad: p.parameter.grad))
            .Where(p => p.Grad is not null)
            .Select(p => (p.Name, p.Grad!)));

    public ExportablePolicy ToExportable(string algorithm, PolicyContract contract, string runName, long stepCount)
    {
        var (mean, var, clip, eps) = ObservationNormalizer.ForExport();
        return new ExportablePolicy(contract, algorithm, runName, stepCount, mean, var, clip, eps, Policy.ActorLayers(), Policy.Activation, "clip");
    }

    /// <summary>Explained variance of the rollout's values, mean/std of its advantages (before any normalization), and the log-std.</summary>
    public void WriteRolloutMetrics(MetricRecord metrics)
    {
        metrics["losses/explained_variance"] = OnPolicyEstimates.ExplainedVariance(Storage.Values, Storage.Returns);
        metrics["losses/advantage_mean"] = Storage.Advantages.Average();
        metrics["losses/advantage_std"] = Std(Storage.Advantages);
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var logStd = Policy.LogStd.detach().cpu().data<float>().ToArray();
        metrics["policy/log_std_mean"] = logStd.Average();
        metrics["policy/log_std_min"] = logStd.Min();
        metrics["policy/log_std_max"] = logStd.Max();
    }

    public void SaveState(BinaryWriter writer)
    {
        TensorIo.WriteParameters(writer, Policy);
        NormalizerIo.Write(writer, ObservationNormalizer.Stats);
        NormalizerIo.Write(writer, RewardScaler.Stats);
        SaveCriticNormalizer(writer);
    }

    public void LoadState(BinaryReader reader)
    {
        TensorIo.ReadParameters(reader, Policy);
        NormalizerIo.Read(reader, ObservationNormalizer.Stats);
        NormalizerIo.Read(reader, RewardScaler.Stats);
        LoadCriticNormalizer(reader);
    }

    /// <summary>The critic observations' statistics, written only where the task has them (other checkpoints keep their bytes).</summary>
    public void SaveCriticNormalizer(BinaryWriter writer)
    {
        if (CriticObservationNormalizer is not null) NormalizerIo.Write(writer, CriticObservationNormalizer.Stats);
    }

    public void LoadCriticNormalizer(BinaryReader reader)
    {
        if (CriticObservationNormalizer is not null) NormalizerIo.Read(reader, CriticObservationNormalizer.Stats);
    }

    /// <summary>
    /// Runs <paramref name="update"/> and undoes it when it meets a non-finite tensor (<see cref="NonFiniteUpdate.RunOrUndo"/>):
    /// the policy's parameters and <paramref name="optimizers"/> are put back. Returns the tensor's name, or null.
    /// </summary>
    public string? UpdateOrUndo(Func<string?> update, MetricRecord metrics, params OptimizerHelper[] optimizers) =>
        NonFiniteUpdate.RunOrUndo(Policy.parameters().ToList<Tensor>(), optimizers, update, FirstNonFiniteParameter, metrics);

    /// <summary>The learning-rate schedules (constant, linear, cosine) of every on-policy algorithm.</summary>
    public static double ScheduledLearningRate(double baseRate, string schedule, double progress, double scale)
    {
        progress = Math.Clamp(progress, 0, 1);
        double factor = schedule switch
        {
            "constant" => 1.0,
            "linear" => 1.0 - progress,
            "cosine" => 0.5 * (1 + Math.Cos(Math.PI * progress)),
            _ => throw new InvalidOperationException($"unknown lr_schedule '{schedule}'"),
        };
        // A floor keeps the last updates from having no effect at all.
        return baseRate * scale * Math.Max(factor, 0.01);
    }

    public void Dispose() => Policy.Dispose();

    /// <summary>
    /// A copy in libtorch's own (64-byte aligned) memory: a tensor made from a managed array uses the array's memory,
    /// whose alignment varies from one allocation to the next, and the CPU kernels' results for a few rows vary with
    /// it in the last bit (a group of 3 environments gave other values run to run). Larger batches gave the same
    /// numbers either way.
    /// </summary>
    private Tensor ToDevice(ReadOnlySpan<float> rows, int count, int width)
    {
        using var borrowed = torch.tensor(rows.ToArray(), count, width);
        return borrowed.clone().to(device);
    }

    private static void CopyToHost(Tensor tensor, Span<float> into) =>
        tensor.cpu().contiguous().data<float>().CopyTo(into);

    private static double Std(float[] x)
    {
        double mean = x.Average();
        return Math.Sqrt(x.Sum(v => (v - mean) * (v - mean)) / x.Length);
    }
}
