using NetMQ;
using Robotics.Contract.Environments;
using Robotics.SimBridge.Protocol;
using Robotics.SimBridge.Tracing;

namespace Robotics.SimBridge.Client;

/// <summary>
/// Several bridges (processes on one machine, or other hosts) as one vector: bridge b's environments are
/// rows [EnvOffsetOf(b), EnvOffsetOf(b) + its NumEnvs) of the whole. A step is sent to every bridge
/// before any reply is awaited, so the bridges step in parallel.
/// </summary>
public sealed class MultiBridgeVectorEnv : ISplitStepVectorEnv
{
    private readonly List<BridgeClient> bridges;
    private int[] offsets = [];

    /// <summary>Takes ownership of <paramref name="bridges"/>, which must be made with the same task.</summary>
    public MultiBridgeVectorEnv(IEnumerable<BridgeClient> bridges)
    {
        this.bridges = bridges.ToList();
        if (this.bridges.Count == 0)
        {
            throw new ArgumentException("a multi-bridge vector needs at least one bridge", nameof(bridges));
        }

        Spec = Combine();
    }

    /// <summary>Connects to every endpoint and makes <paramref name="make"/> on each (NumEnvs per bridge).</summary>
    public static MultiBridgeVectorEnv Open(IEnumerable<string> endpoints, MakeRequest make, BridgeClientOptions? options = null)
    {
        var list = endpoints.ToList();
        return Open(list, make, Enumerable.Repeat(make.NumEnvs, list.Count).ToArray(), options);
    }

    /// <summary>
    /// Spreads <paramref name="numEnvs"/> environments over the endpoints as evenly as whole numbers allow (the first
    /// <c>numEnvs % bridges</c> bridges serve one more) and makes <paramref name="make"/> with each share. Environment i
    /// of the whole vector is seeded seed + i whatever the split, so the layout does not change what is simulated.
    /// </summary>
    public static MultiBridgeVectorEnv OpenSplit(IReadOnlyList<string> endpoints, MakeRequest make, int numEnvs, BridgeClientOptions? options = null) =>
        Open(endpoints, make, Shares(numEnvs, endpoints.Count), options);

    /// <summary>The environments each of <paramref name="bridges"/> serves out of <paramref name="numEnvs"/>; all at least 1.</summary>
    public static int[] Shares(int numEnvs, int bridges)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bridges, 1);
        if (numEnvs < bridges)
            throw new ArgumentException($"num_envs ({numEnvs}) is fewer than the {bridges} bridges; give at least one environment per bridge, or name fewer bridges");
        return EvenShares.Of(numEnvs, bridges);
    }

    private static MultiBridgeVectorEnv Open(IReadOnlyList<string> endpoints, MakeRequest make, int[] shares, BridgeClientOptions? options)
    {
        var opened = new List<BridgeClient>();
        try
        {
            for (int b = 0; b < endpoints.Count; b++)
            {
                opened.Add(BridgeClient.Open(endpoints[b], new MakeRequest { ProtocolVersion = make.ProtocolVersion, Task = make.Task, NumEnvs = shares[b], Randomize = make.Randomize }, options));
            }

            return new MultiBridgeVectorEnv(opened);
        }
        catch
        {
            opened.ForEach(b => b.Dispose());
            throw;
        }
    }

    public EnvSpec Spec { get; private set; }

    public IReadOnlyList<BridgeClient> Bridges => bridges;

    public IReadOnlyList<string> Endpoints => bridges.Select(b => b.Endpoint).ToList();

    /// <summary>The index in the whole vector of bridge <paramref name="bridge"/>'s first environment.</summary>
    public int EnvOffsetOf(int bridge) => offsets[bridge];

    /// <summary>Seeds environment i of the whole vector with seed + i, as an in-process vector would.</summary>
    public void Reset(int seed, VectorStep into)
    {
        CheckShape(into);
        SendReset(seed);
        ReceiveReset(into, 0);
    }

    public void Step(ReadOnlySpan<float> actions, VectorStep into)
    {
        CheckShape(into);
        into.Episodes.Clear();
        into.PhysicsResets = 0;
        SendStep(actions);
        ReceiveStep(into, 0);
    }

    /// <summary>Sends every bridge its reset (seed + its offset for its first environment) before any reply is awaited.</summary>
    public void SendReset(int seed)
    {
        for (int b = 0; b < bridges.Count; b++)
        {
            bridges[b].SendReset(seed + offsets[b]);
        }
    }

    public void ReceiveReset(VectorStep into, int envOffset)
    {
        CheckRows(into, envOffset);
        long deadline = Deadline();
        for (int b = 0; b < bridges.Count; b++)
        {
            bridges[b].ReceiveReset(into, envOffset + offsets[b], deadline);
        }
    }

    /// <summary>Sends every bridge its rows of actions before any reply is awaited, so the bridges step in parallel.</summary>
    public void SendStep(ReadOnlySpan<float> actions)
    {
        // The size decides how the batch is cut between the bridges; each bridge checks its rows' values (ActionBatch).
        ActionBatch.CheckSize(Spec, actions);

        for (int b = 0; b < bridges.Count; b++)
        {
            var bridgeSpec = bridges[b].Spec;
            bridges[b].SendStep(actions.Slice(offsets[b] * Spec.ActionSize, bridgeSpec.NumEnvs * Spec.ActionSize));
        }
    }

    public void ReceiveStep(VectorStep into, int envOffset)
    {
        CheckRows(into, envOffset);
        long deadline = Deadline();
        for (int b = 0; b < bridges.Count; b++)
        {
            bridges[b].ReceiveStep(into, envOffset + offsets[b], deadline);
        }
    }

    /// <summary>True when every bridge's reply is waiting to be read.</summary>
    public bool StepArrived
    {
        get
        {
            foreach (var bridge in bridges)
            {
                if (!bridge.ReplyWaiting) return false;
            }

            return true;
        }
    }

    /// <summary>
    /// Waits until one of <paramref name="waiting"/> has every bridge's reply in (a <see cref="WaitForAnyStep"/>),
    /// polling the sockets still silent all together. When none answers within the bridges' timeout it throws the
    /// error of the bridge silent in the most of them, as a single vector's receive would. Vectors that are not
    /// multi-bridge ones step on the receive and count as arrived.
    /// </summary>
    public static void WaitForAny(IReadOnlyList<ISplitStepVectorEnv> waiting)
    {
        var silent = new List<BridgeClient>();
        TimeSpan timeout = TimeSpan.Zero;
        foreach (var vector in waiting)
        {
            if (vector is not MultiBridgeVectorEnv multi) return;
            int silentBefore = silent.Count;
            foreach (var bridge in multi.bridges)
            {
                if (bridge.ReplyWaiting) continue;
                silent.Add(bridge);
                if (bridge.Timeout > timeout) timeout = bridge.Timeout;
            }

            if (silent.Count == silentBefore) return; // every bridge of this one has replied
        }

        if (StepTrace.Enabled)
        {
            long now = StepTrace.Now();
            foreach (var bridge in silent) bridge.WaitingFrom(now);
        }

        var items = silent.Select(b => new NetMQSelector.Item(b.Socket, PollEvents.PollIn)).ToArray();
        if (new NetMQSelector().Select(items, items.Length, (long)Math.Ceiling(timeout.TotalMilliseconds))) return;
        throw silent.GroupBy(b => b.Endpoint).OrderByDescending(g => g.Count()).First().First().StepNotAnswered();
    }

    /// <summary>
    /// Puts <paramref name="replacement"/> (made with the same task and number of environments) in place of bridge
    /// <paramref name="index"/>, e.g. after it died, and disposes the old one. Call <see cref="ResetBridge"/> before the next step.
    /// </summary>
    public void ReplaceBridge(int index, BridgeClient replacement)
    {
        var old = bridges[index];
        var oldSpec = old.Spec;
        var newSpec = replacement.Spec;
        if (newSpec.NumEnvs != oldSpec.NumEnvs || newSpec.ObservationSize != oldSpec.ObservationSize || newSpec.ActionSize != oldSpec.ActionSize
            || newSpec.CriticObservationSize != oldSpec.CriticObservationSize)
        {
            throw new ArgumentException(
                $"replacement bridge {replacement.Endpoint} has {newSpec.NumEnvs} envs, obs {newSpec.ObservationSize}, actions {newSpec.ActionSize}; " +
                $"bridge {old.Endpoint} had {oldSpec.NumEnvs}, {oldSpec.ObservationSize}, {oldSpec.ActionSize}",
                nameof(replacement));
        }

        bridges[index] = replacement;
        old.Dispose();
    }

    /// <summary>Resets one bridge's environments (seed + its offset for its first one) and writes their rows of <paramref name="into"/>.</summary>
    public void ResetBridge(int index, int seed, VectorStep into)
    {
        CheckShape(into);
        bridges[index].SendReset(seed + offsets[index]);
        bridges[index].ReceiveReset(into, offsets[index], Deadline());
    }

    private long Deadline() => BridgeClient.Deadline(bridges.Max(b => b.Timeout));

    private void CheckShape(VectorStep into) => into.CheckHolds(Spec, nameof(into));

    private void CheckRows(VectorStep into, int envOffset)
    {
        if (into.ObservationSize != Spec.ObservationSize || into.CriticObservationSize != Spec.CriticObservationSize
            || envOffset < 0 || envOffset + Spec.NumEnvs > into.NumEnvs)
        {
            throw new ArgumentException(
                $"rows [{envOffset}, {envOffset + Spec.NumEnvs}) of step buffers [{into.NumEnvs}, {into.ObservationSize}] do not hold this vector's [{Spec.NumEnvs}, {Spec.ObservationSize}]", nameof(into));
        }
    }

    private EnvSpec Combine()
    {
        var first = bridges[0].Spec;
        offsets = new int[bridges.Count];
        int total = 0;
        for (int b = 0; b < bridges.Count; b++)
        {
            var spec = bridges[b].Spec;
            if (!spec.ServesTheSameTaskAs(first))
            {
                throw new ArgumentException(
                    $"bridge {bridges[b].Endpoint} serves another task than {bridges[0].Endpoint} " +
                    $"(obs {spec.ObservationSize} vs {first.ObservationSize}, critic obs {spec.CriticObservationSize} vs {first.CriticObservationSize}, " +
                    $"actions {spec.ActionSize} vs {first.ActionSize}); make the same task on every bridge, with bridges of one version");
            }

            offsets[b] = total;
            total += spec.NumEnvs;
        }

        return first with { NumEnvs = total };
    }

    public void Dispose()
    {
        foreach (var bridge in bridges)
        {
            bridge.Dispose();
        }
    }
}
