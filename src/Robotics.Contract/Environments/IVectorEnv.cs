namespace Robotics.Contract.Environments;

/// <summary>
/// A batch of environments stepped together, with Gymnasium's vector semantics: terminated and
/// truncated kept apart, automatic reset, and the final observation of a finished episode kept
/// so that a trainer can bootstrap a truncated one. Implemented in-process and by the bridge client.
/// </summary>
public interface IVectorEnv : IDisposable
{
    EnvSpec Spec { get; }

    /// <summary>Seeds environment i with seed + i and resets all of them; fills <see cref="VectorStep.Observations"/>.</summary>
    void Reset(int seed, VectorStep into);

    /// <summary>
    /// Steps every environment with actions in the robot's units, row-major [NumEnvs, ActionSize].
    /// Environments whose episode ended are reset before returning. A batch of another size, or with a NaN or an
    /// infinity, is refused by <see cref="ActionBatch"/>'s rule (finite values outside the bounds are clamped).
    /// </summary>
    void Step(ReadOnlySpan<float> actions, VectorStep into);
}

/// <summary>
/// Shapes and the contract of a vector environment. <paramref name="CriticObservationSize"/> is the width of the
/// observations only the value function sees in training (the task's <c>critic_observations</c>; 0 without them).
/// </summary>
public sealed record EnvSpec(
    int NumEnvs,
    int ObservationSize,
    int ActionSize,
    float[] ActionLow,
    float[] ActionHigh,
    PolicyContract Contract,
    double ControlDt,
    int MaxEpisodeSteps,
    int CriticObservationSize = 0)
{
    /// <summary>True when <paramref name="other"/> serves the same task in the same shapes (one group or bridge of a whole).</summary>
    public bool ServesTheSameTaskAs(EnvSpec other) =>
        ObservationSize == other.ObservationSize && CriticObservationSize == other.CriticObservationSize
        && ActionSize == other.ActionSize && Contract.Hash == other.Contract.Hash;
}

/// <summary>One episode that ended during a step.</summary>
public readonly record struct EpisodeRecord(int Env, double Return, int Length, bool Terminated, bool Truncated)
{
    /// <summary>
    /// Task statistics of the episode, when the environment gives them: <c>reward/NAME</c> (weighted sum of a
    /// reward term) and <c>final/NAME</c> (its unweighted value at the last step, e.g. the final distance to a target).
    /// </summary>
    public IReadOnlyDictionary<string, double>? Stats { get; init; }
}

/// <summary>
/// The result buffers of one vector step, reused across steps. Arrays are row-major:
/// Observations and FinalObservations are [NumEnvs, ObservationSize], CriticObservations and
/// FinalCriticObservations [NumEnvs, CriticObservationSize] (empty when the task has no critic observations).
/// </summary>
public sealed class VectorStep
{
    public VectorStep(int numEnvs, int observationSize, int criticObservationSize = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(criticObservationSize);
        NumEnvs = numEnvs;
        ObservationSize = observationSize;
        CriticObservationSize = criticObservationSize;
        Observations = new float[numEnvs * observationSize];
        FinalObservations = new float[numEnvs * observationSize];
        CriticObservations = new float[numEnvs * criticObservationSize];
        FinalCriticObservations = new float[numEnvs * criticObservationSize];
        Rewards = new float[numEnvs];
        Terminated = new bool[numEnvs];
        Truncated = new bool[numEnvs];
    }

    /// <summary>Buffers the shape of <paramref name="spec"/>'s results, critic observations included.</summary>
    public static VectorStep For(EnvSpec spec) => new(spec.NumEnvs, spec.ObservationSize, spec.CriticObservationSize);

    public int NumEnvs { get; }
    public int ObservationSize { get; }
    public int CriticObservationSize { get; }

    /// <summary>Throws an <see cref="ArgumentException"/> naming both shapes unless these buffers are the shape of <paramref name="spec"/>'s results.</summary>
    public void CheckHolds(EnvSpec spec, string parameterName)
    {
        if (NumEnvs != spec.NumEnvs || ObservationSize != spec.ObservationSize || CriticObservationSize != spec.CriticObservationSize)
            throw new ArgumentException(
                $"the step buffers are for {NumEnvs} environments × {ObservationSize} observations (+ {CriticObservationSize} for the critic); " +
                $"the vector has {spec.NumEnvs} × {spec.ObservationSize} (+ {spec.CriticObservationSize})", parameterName);
    }

    /// <summary>Observation after the step; for an environment that just finished, the first of its next episode.</summary>
    public float[] Observations { get; }

    /// <summary>The last observation of the episode that ended in this step; valid only where Terminated or Truncated.</summary>
    public float[] FinalObservations { get; }

    /// <summary>What only the value function sees, after the step (as <see cref="Observations"/>); noise-free.</summary>
    public float[] CriticObservations { get; }

    /// <summary>The critic's part of the last observation of the episode that ended in this step (as <see cref="FinalObservations"/>).</summary>
    public float[] FinalCriticObservations { get; }

    public float[] Rewards { get; }
    public bool[] Terminated { get; }
    public bool[] Truncated { get; }

    /// <summary>Episodes that ended in this step.</summary>
    public List<EpisodeRecord> Episodes { get; } = new();

    /// <summary>Environments reset in this step because the physics went unstable (bad qpos/qvel/qacc, NaN).</summary>
    public int PhysicsResets { get; set; }

    public Span<float> ObservationOf(int env) => Observations.AsSpan(env * ObservationSize, ObservationSize);
    public Span<float> FinalObservationOf(int env) => FinalObservations.AsSpan(env * ObservationSize, ObservationSize);
    public Span<float> CriticObservationOf(int env) => CriticObservations.AsSpan(env * CriticObservationSize, CriticObservationSize);
    public Span<float> FinalCriticObservationOf(int env) => FinalCriticObservations.AsSpan(env * CriticObservationSize, CriticObservationSize);
}
