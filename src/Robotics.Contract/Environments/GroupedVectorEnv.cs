namespace Robotics.Contract.Environments;

/// <summary>
/// Environments in groups that can be stepped out of phase: a trainer sends group g's actions and, while the
/// group is simulated or its messages travel, receives and acts on the other groups (<c>env_groups</c>). Group g
/// holds the rows [OffsetOf(g), OffsetOf(g) + SizeOf(g)) of the whole, and environment i of the whole is seeded
/// seed + i, so <see cref="Step"/>, which steps all groups together, gives exactly what one vector would.
/// <see cref="ReceiveAnyStep"/> takes whichever group's results are in first.
/// </summary>
public sealed class GroupedVectorEnv : IVectorEnv
{
    private readonly List<ISplitStepVectorEnv> groups;
    private readonly int[] offsets;
    private readonly WaitForAnyStep? waitForAny;
    private readonly List<ISplitStepVectorEnv> waiting = new();

    /// <summary>
    /// Takes ownership of <paramref name="groups"/>, which must serve the same task. <paramref name="waitForAny"/>
    /// waits for the first of several groups' results (sockets polled together); without it
    /// <see cref="ReceiveAnyStep"/> waits for the lowest-numbered group in flight when none is in.
    /// </summary>
    public GroupedVectorEnv(IEnumerable<ISplitStepVectorEnv> groups, WaitForAnyStep? waitForAny = null)
    {
        this.waitForAny = waitForAny;
        this.groups = groups.ToList();
        if (this.groups.Count == 0) throw new ArgumentException("a grouped vector needs at least one group", nameof(groups));
        var first = this.groups[0].Spec;
        offsets = new int[this.groups.Count];
        int total = 0;
        for (int g = 0; g < this.groups.Count; g++)
        {
            var spec = this.groups[g].Spec;
            if (!spec.ServesTheSameTaskAs(first))
                throw new ArgumentException($"group {g} serves another task than group 0 (obs {spec.ObservationSize} vs {first.ObservationSize}, actions {spec.ActionSize} vs {first.ActionSize})", nameof(groups));
            offsets[g] = total;
            total += spec.NumEnvs;
        }

        Spec = first with { NumEnvs = total };
    }

    /// <summary>
    /// Makes <paramref name="groupCount"/> groups of <paramref name="numEnvs"/> environments, as even as whole numbers
    /// allow (the first <c>numEnvs % groupCount</c> one larger), each with <paramref name="make"/>; disposes what it
    /// made if one fails.
    /// </summary>
    public static GroupedVectorEnv Create(int numEnvs, int groupCount, Func<int, ISplitStepVectorEnv> make, WaitForAnyStep? waitForAny = null)
    {
        if (groupCount < 1 || groupCount > numEnvs)
            throw new ArgumentException($"env_groups ({groupCount}) must be from 1 to num_envs ({numEnvs})", nameof(groupCount));
        var made = new List<ISplitStepVectorEnv>();
        try
        {
            foreach (int share in EvenShares.Of(numEnvs, groupCount)) made.Add(make(share));
            return new GroupedVectorEnv(made, waitForAny);
        }
        catch
        {
            made.ForEach(m => m.Dispose());
            throw;
        }
    }

    public EnvSpec Spec { get; }

    public int Count => groups.Count;

    public IReadOnlyList<ISplitStepVectorEnv> Groups => groups;

    public int OffsetOf(int group) => offsets[group];

    public int SizeOf(int group) => groups[group].Spec.NumEnvs;

    public void Reset(int seed, VectorStep into)
    {
        CheckShape(into);
        for (int g = 0; g < groups.Count; g++) groups[g].SendReset(seed + offsets[g]);
        for (int g = 0; g < groups.Count; g++) groups[g].ReceiveReset(into, offsets[g]);
    }

    public void Step(ReadOnlySpan<float> actions, VectorStep into)
    {
        CheckShape(into);
        ActionBatch.Check(Spec, actions);
        into.Episodes.Clear();
        into.PhysicsResets = 0;
        for (int g = 0; g < groups.Count; g++) groups[g].SendStep(actions.Slice(offsets[g] * Spec.ActionSize, SizeOf(g) * Spec.ActionSize));
        for (int g = 0; g < groups.Count; g++) groups[g].ReceiveStep(into, offsets[g]);
    }

    /// <summary>Starts group <paramref name="group"/>'s step with its rows of actions.</summary>
    public void SendStep(int group, ReadOnlySpan<float> actions) => groups[group].SendStep(actions);

    /// <summary>Writes group <paramref name="group"/>'s results into its rows of <paramref name="into"/> (which spans the whole); appends episodes, adds physics resets.</summary>
    public void ReceiveStep(int group, VectorStep into)
    {
        CheckShape(into);
        groups[group].ReceiveStep(into, offsets[group]);
    }

    /// <summary>
    /// Writes the results of one group whose step is in flight (<paramref name="inFlight"/>[g]) into its rows of
    /// <paramref name="into"/> and returns the group: the lowest-numbered one whose results are in, else the first to
    /// arrive. Appends episodes and adds physics resets, as <see cref="ReceiveStep"/>. Which group comes first depends
    /// on timing, so a caller whose numbers must not depend on it treats the groups as independent.
    /// </summary>
    public int ReceiveAnyStep(ReadOnlySpan<bool> inFlight, VectorStep into)
    {
        CheckShape(into);
        if (inFlight.Length != groups.Count)
            throw new ArgumentException($"{inFlight.Length} in-flight flags for {groups.Count} groups", nameof(inFlight));
        while (true)
        {
            int first = -1;
            for (int g = 0; g < groups.Count; g++)
            {
                if (!inFlight[g]) continue;
                if (first < 0) first = g;
                if (!groups[g].StepArrived) continue;
                groups[g].ReceiveStep(into, offsets[g]);
                return g;
            }

            if (first < 0) throw new InvalidOperationException("no group has a step in flight");
            if (waitForAny is null)
            {
                groups[first].ReceiveStep(into, offsets[first]);
                return first;
            }

            waiting.Clear();
            for (int g = first; g < groups.Count; g++)
            {
                if (inFlight[g]) waiting.Add(groups[g]);
            }

            waitForAny(waiting);
        }
    }

    private void CheckShape(VectorStep into) => into.CheckHolds(Spec, nameof(into));

    public void Dispose()
    {
        foreach (var group in groups) group.Dispose();
    }
}
