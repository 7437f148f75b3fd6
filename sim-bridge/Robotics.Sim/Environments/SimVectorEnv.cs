using Robotics.Contract.Environments;
using Robotics.Sim.Randomization;
using Robotics.Sim.Tasks;

namespace Robotics.Sim.Environments;

/// <summary>
/// A batch of <see cref="SimEnvironment"/>s in this process, stepped in parallel on a persistent pool
/// of threads, with Gymnasium's vector semantics (see <see cref="IVectorEnv"/>): an environment whose
/// episode ends in a step is reset within that step, its last observation kept in
/// <see cref="VectorStep.FinalObservations"/>. Environment i is seeded with seed + i at
/// <see cref="Reset"/>, so the same seed and actions give bitwise the same observations.
/// A physics blow-up ends that environment's episode as truncated and resets it; it is counted, never
/// passed on as NaN.
/// </summary>
public sealed class SimVectorEnv : IVectorEnv
{
    private readonly SimEnvironment[] envs;
    private readonly WorkerPool pool;
    private readonly Action<int> stepOne;
    private readonly Action<int> resetOne;
    private readonly float[] actions;
    private readonly EpisodeRecord?[] finished;
    private readonly bool[] physicsReset;
    private RandomizationConfig randomization;
    private VectorStep? target;
    private int resetSeed;
    private bool isReset;

    public SimVectorEnv(LoadedTask task, int numEnvs, SimVectorEnvOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentOutOfRangeException.ThrowIfLessThan(numEnvs, 1);
        options ??= new SimVectorEnvOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Threads, 1, nameof(options));

        Task = task;
        randomization = options.Randomize ? task.Randomization.Clone() : new RandomizationConfig();
        envs = new SimEnvironment[numEnvs];
        try
        {
            for (int i = 0; i < numEnvs; i++)
            {
                envs[i] = new SimEnvironment(task);
                envs[i].Randomizer.Config = randomization;
            }
        }
        catch
        {
            foreach (var env in envs)
                env?.Dispose();
            throw;
        }

        var contract = task.PolicyContract;
        Spec = new EnvSpec(
            numEnvs,
            contract.ObservationSize,
            contract.ActionSize,
            contract.Robot.Actuators.Select(a => (float)a.CommandMin).ToArray(),
            contract.Robot.Actuators.Select(a => (float)a.CommandMax).ToArray(),
            contract,
            task.ControlDt,
            task.TaskDefinition.MaxEpisodeSteps,
            envs[0].CriticObservationSize);
        actions = new float[numEnvs * contract.ActionSize];
        finished = new EpisodeRecord?[numEnvs];
        physicsReset = new bool[numEnvs];
        pool = new WorkerPool(Math.Min(options.Threads, numEnvs), "sim-env");
        stepOne = StepOne;
        resetOne = ResetOne;
    }

    public EnvSpec Spec { get; }
    public LoadedTask Task { get; }
    public int NumEnvs => envs.Length;

    /// <summary>Threads stepping the environments, the caller included.</summary>
    public int Threads => pool.ThreadCount;

    /// <summary>
    /// The randomization ranges of every environment. A new value (or a change to this one) applies from
    /// each environment's next reset for physics and from the next step for noise and pushes (curriculum).
    /// </summary>
    public RandomizationConfig Randomization
    {
        get => randomization;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            foreach (var env in envs)
                env.Randomizer.Config = value;
            randomization = value;
        }
    }

    /// <summary>Physics resets (instability, NaN) since this vector was made.</summary>
    public long TotalPhysicsResets { get; private set; }

    /// <summary>The randomized values environment <paramref name="env"/> runs its current episode with.</summary>
    public RandomizationSample SampleOf(int env) => envs[env].Randomizer.LastSample;

    /// <summary>One environment, for inspection (its state, model, commands). Do not step it directly.</summary>
    public SimEnvironment EnvironmentAt(int env) => envs[env];

    public void Reset(int seed, VectorStep into)
    {
        CheckShape(into);
        target = into;
        resetSeed = seed;
        pool.Run(envs.Length, resetOne);
        Array.Clear(into.Rewards);
        Array.Clear(into.Terminated);
        Array.Clear(into.Truncated);
        into.Episodes.Clear();
        into.PhysicsResets = 0;
        target = null;
        isReset = true;
    }

    public void Step(ReadOnlySpan<float> actions, VectorStep into)
    {
        if (!isReset)
            throw new InvalidOperationException("call Reset before the first Step");
        CheckShape(into);
        ActionBatch.Check(Spec, actions);
        actions.CopyTo(this.actions);
        target = into;
        into.Episodes.Clear();
        try
        {
            pool.Run(envs.Length, stepOne);
        }
        finally
        {
            target = null;
        }

        int resets = 0;
        for (int i = 0; i < envs.Length; i++)
        {
            if (finished[i] is { } record)
            {
                into.Episodes.Add(record);
                finished[i] = null;
            }
            if (physicsReset[i])
            {
                resets++;
                physicsReset[i] = false;
            }
        }
        into.PhysicsResets = resets;
        TotalPhysicsResets += resets;
    }

    public void Dispose()
    {
        pool.Dispose();
        foreach (var env in envs)
            env.Dispose();
    }

    private void ResetOne(int i)
    {
        var env = envs[i];
        env.Reset(resetSeed + i);
        env.Observation.CopyTo(target!.ObservationOf(i));
        env.CriticObservation.CopyTo(target.CriticObservationOf(i));
    }

    private void StepOne(int i)
    {
        var env = envs[i];
        var into = target!;
        int size = Spec.ActionSize;
        var outcome = env.Step(actions.AsSpan(i * size, size));
        into.Rewards[i] = outcome.Reward;
        into.Terminated[i] = outcome.Terminated;
        into.Truncated[i] = outcome.Truncated;
        if (outcome.Done)
        {
            env.Observation.CopyTo(into.FinalObservationOf(i));
            env.CriticObservation.CopyTo(into.FinalCriticObservationOf(i));
            finished[i] = new EpisodeRecord(i, env.EpisodeReturn, env.EpisodeStep, outcome.Terminated, outcome.Truncated)
            {
                Stats = env.EpisodeStats(),
            };
            physicsReset[i] = outcome.PhysicsReset;
            env.Reset();
        }
        env.Observation.CopyTo(into.ObservationOf(i));
        env.CriticObservation.CopyTo(into.CriticObservationOf(i));
    }

    private void CheckShape(VectorStep into)
    {
        ArgumentNullException.ThrowIfNull(into);
        into.CheckHolds(Spec, nameof(into));
    }
}
