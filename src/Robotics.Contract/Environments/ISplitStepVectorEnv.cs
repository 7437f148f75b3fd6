namespace Robotics.Contract.Environments;

/// <summary>
/// A vector whose step is split into sending the actions and receiving the results, so that other work (another
/// group's step, see <see cref="GroupedVectorEnv"/>) happens while this one is simulated or its messages travel.
/// Every send is followed by its receive before the next send.
/// </summary>
public interface ISplitStepVectorEnv : IVectorEnv
{
    /// <summary>Starts a reset; environment i is seeded <paramref name="seed"/> + i.</summary>
    void SendReset(int seed);

    /// <summary>Writes the reset observations into rows [envOffset, envOffset + NumEnvs) of <paramref name="into"/>.</summary>
    void ReceiveReset(VectorStep into, int envOffset);

    /// <summary>Starts a step with actions in robot units, row-major [NumEnvs, ActionSize], checked as <see cref="IVectorEnv.Step"/> checks them.</summary>
    void SendStep(ReadOnlySpan<float> actions);

    /// <summary>
    /// Writes the step's results into rows [envOffset, envOffset + NumEnvs) of <paramref name="into"/>, appends the
    /// episodes that ended (Env counted in <paramref name="into"/>'s rows) and adds the physics resets; clears nothing.
    /// </summary>
    void ReceiveStep(VectorStep into, int envOffset);

    /// <summary>
    /// True when the step sent last has its results in, so that <see cref="ReceiveStep"/> would not wait for them; an
    /// in-process vector steps on the receive and is always ready.
    /// </summary>
    bool StepArrived => true;
}

/// <summary>
/// Blocks until at least one of <paramref name="waiting"/> has its step's results in (<see cref="ISplitStepVectorEnv.StepArrived"/>),
/// and throws the vectors' own error when none comes within their timeout: lets <see cref="GroupedVectorEnv"/> take
/// groups in the order their results arrive.
/// </summary>
public delegate void WaitForAnyStep(IReadOnlyList<ISplitStepVectorEnv> waiting);

/// <summary>Any vector as a split one: the send keeps the actions and the receive steps (in-process environments).</summary>
public sealed class SplitStepAdapter : ISplitStepVectorEnv
{
    private readonly IVectorEnv inner;
    private readonly VectorStep own;
    private readonly float[] actions;
    private int? pendingSeed;

    public SplitStepAdapter(IVectorEnv inner)
    {
        this.inner = inner;
        own = VectorStep.For(inner.Spec);
        actions = new float[inner.Spec.NumEnvs * inner.Spec.ActionSize];
    }

    public EnvSpec Spec => inner.Spec;

    public void Reset(int seed, VectorStep into) => inner.Reset(seed, into);

    public void Step(ReadOnlySpan<float> actions, VectorStep into) => inner.Step(actions, into);

    public void SendReset(int seed) => pendingSeed = seed;

    public void ReceiveReset(VectorStep into, int envOffset)
    {
        inner.Reset(pendingSeed ?? throw new InvalidOperationException("ReceiveReset without SendReset"), own);
        pendingSeed = null;
        own.Observations.CopyTo(into.Observations.AsSpan(envOffset * own.ObservationSize));
        own.CriticObservations.CopyTo(into.CriticObservations.AsSpan(envOffset * own.CriticObservationSize));
    }

    public void SendStep(ReadOnlySpan<float> actions)
    {
        ActionBatch.Check(Spec, actions);
        actions.CopyTo(this.actions);
    }

    public void ReceiveStep(VectorStep into, int envOffset)
    {
        inner.Step(actions, own);
        int n = own.NumEnvs, width = own.ObservationSize;
        own.Observations.CopyTo(into.Observations.AsSpan(envOffset * width));
        own.FinalObservations.CopyTo(into.FinalObservations.AsSpan(envOffset * width));
        own.CriticObservations.CopyTo(into.CriticObservations.AsSpan(envOffset * own.CriticObservationSize));
        own.FinalCriticObservations.CopyTo(into.FinalCriticObservations.AsSpan(envOffset * own.CriticObservationSize));
        own.Rewards.CopyTo(into.Rewards.AsSpan(envOffset, n));
        own.Terminated.CopyTo(into.Terminated.AsSpan(envOffset, n));
        own.Truncated.CopyTo(into.Truncated.AsSpan(envOffset, n));
        foreach (var episode in own.Episodes) into.Episodes.Add(episode with { Env = episode.Env + envOffset });
        into.PhysicsResets += own.PhysicsResets;
    }

    public void Dispose() => inner.Dispose();
}
