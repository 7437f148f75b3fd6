namespace Robotics.Contract.Environments;

/// <summary>
/// Environments in groups that can be stepped out of phase: a trainer sends group g's actions and, while the
/// group is simulated or its messages travel, receives and acts on the other groups (<c>env_groups</c>). Group g
/// holds the rows [OffsetOf(g), OffsetOf(g) + SizeOf(g)) of the whole, and environment i of the whole is seeded
/// seed + i, so <see cref="Step"/>, which steps all groups together, gives exactly what one vector would.
/// </summary>
public sealed class GroupedVectorEnv : IVectorEnv
{
    private readonly List<ISplitStepVectorEnv> groups;
    private readonly int[] offsets;

    /// <summary>Takes ownership of <paramref name="groups"/>, which must serve the same task.</summary>
    public GroupedVectorEnv(IEnumerable<ISplitStepVectorEnv> groups)
    {
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
    public static GroupedVectorEnv Create(int numEnvs, int groupCount, Func<int, ISplitStepVectorEnv> make)
    {
        if (groupCount < 1 || groupCount > numEnvs)
            throw new ArgumentException($"env_groups ({groupCount}) must be from 1 to num_envs ({numEnvs})", nameof(groupCount));
        var made = new List<ISplitStepVectorEnv>();
        try
        {
            foreach (int share in EvenShares.Of(numEnvs, groupCount)) made.Add(make(share));
            return new GroupedVectorEnv(made);
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

    private void CheckShape(VectorStep into) => into.CheckHolds(Spec, nameof(into));

    public void Dispose()
    {
        foreach (var group in groups) group.Dispose();
    }
}
