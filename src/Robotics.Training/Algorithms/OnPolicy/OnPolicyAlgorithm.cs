using Robotics.Contract;
using Robotics.Contract.Environments;
using Robotics.Training.Monitoring;
using Robotics.Training.Policies;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Robotics.Training.Algorithms.OnPolicy;

/// <summary>
/// How PPO, REINFORCE, A2C and TRPO face the runner: collection, acting, export and the checkpointed state
/// go through their <see cref="OnPolicyCore"/>; each algorithm adds its optimizers and its <see cref="Learn"/>.
/// </summary>
public abstract class OnPolicyAlgorithm : IAlgorithm
{
    protected OnPolicyAlgorithm(OnPolicyCore core)
    {
        Core = core;
    }

    public abstract string Name { get; }
    public int StepsPerIteration => Core.Batch;
    public double LearningRateScale { get; set; } = 1.0;
    public GaussianActorCritic Policy => Core.Policy;
    public OnPolicyCore Core { get; }

    /// <summary>The algorithm's optimizers, in the order their state is checkpointed.</summary>
    protected abstract IReadOnlyList<OptimizerHelper> Optimizers { get; }

    public void ResetEnvironments(IVectorEnv env, int seed) => Core.ResetEnvironments(env, seed);

    public void Collect(IVectorEnv env, List<EpisodeRecord> episodes, MetricRecord metrics) => Core.Collect(env, episodes, metrics);

    public abstract bool Learn(double progress, MetricRecord metrics, out string? nonFiniteTensor);

    public float[] ActDeterministic(float[] observations, int batch) => Core.ActDeterministic(observations, batch);

    public string? FirstNonFiniteParameter() => Core.FirstNonFiniteParameter();

    public ExportablePolicy ToExportable(PolicyContract contract, string runName, long step) => Core.ToExportable(Name, contract, runName, step);

    /// <summary>The learning-rate scale, the core's state, then each optimizer's.</summary>
    public virtual void SaveState(BinaryWriter writer)
    {
        writer.Write(LearningRateScale);
        Core.SaveState(writer);
        foreach (var optimizer in Optimizers) optimizer.save_state_dict(writer);
    }

    public virtual void LoadState(BinaryReader reader)
    {
        LearningRateScale = reader.ReadDouble();
        Core.LoadState(reader);
        foreach (var optimizer in Optimizers) optimizer.load_state_dict(reader);
    }

    public void Dispose()
    {
        DisposeOptimizers();
        Core.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Disposes <see cref="Optimizers"/>; an algorithm whose optimizers own more overrides it.</summary>
    protected virtual void DisposeOptimizers()
    {
        foreach (var optimizer in Optimizers) optimizer.Dispose();
    }
}
