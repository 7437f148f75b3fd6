using Robotics.Training.Monitoring;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Robotics.Training.Algorithms;

/// <summary>
/// The undo of an update that met a non-finite tensor, for every algorithm: the parameters and optimizer states are
/// copied before the update and put back when it names a non-finite tensor or leaves a parameter that is not finite,
/// so a bad batch costs one skipped update instead of the run.
/// </summary>
public static class NonFiniteUpdate
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<OptimizerHelper, MemoryStream> SnapshotStreams = new();

    /// <summary>
    /// Runs <paramref name="update"/>, which returns the name of a non-finite tensor it met or null. When it names one,
    /// or <paramref name="firstNonFiniteParameter"/> names one afterwards, <paramref name="parameters"/> and
    /// <paramref name="optimizers"/> are put back as they were before it, <c>losses/skipped_update</c> is set, and the
    /// name is returned; otherwise null.
    /// </summary>
    public static string? RunOrUndo(
        IReadOnlyList<Tensor> parameters, IReadOnlyList<OptimizerHelper> optimizers, Func<string?> update,
        Func<string?> firstNonFiniteParameter, MetricRecord metrics)
    {
        var parametersBefore = Snapshot(parameters);
        var optimizersBefore = optimizers.Select(Snapshot).ToList();
        try
        {
            string? nonFiniteTensor = update();
            if (nonFiniteTensor is null && firstNonFiniteParameter() is { } badParameter) nonFiniteTensor = badParameter;
            if (nonFiniteTensor is not null)
            {
                Restore(parameters, parametersBefore);
                for (int i = 0; i < optimizers.Count; i++) Restore(optimizers[i], optimizersBefore[i]);
                metrics["losses/skipped_update"] = 1;
            }

            return nonFiniteTensor;
        }
        finally
        {
            foreach (var t in parametersBefore) t.Dispose();
        }
    }

    /// <summary>The name of the first tensor with a value that is not finite, or null when all are finite.</summary>
    public static string? FirstNonFinite(params IEnumerable<(string Name, Tensor Value)> tensors)
    {
        using var scope = torch.NewDisposeScope();
        foreach (var (name, value) in tensors)
        {
            if (!torch.isfinite(value).all().item<bool>()) return name;
        }

        return null;
    }

    private static List<Tensor> Snapshot(IReadOnlyList<Tensor> parameters)
    {
        using var noGrad = torch.no_grad();
        // The scope roots each detached view while it is cloned (a view left to the finalizer can be freed mid-call);
        // the copies leave it for the caller, who disposes them.
        using var scope = torch.NewDisposeScope();
        return parameters.Select(p => p.detach().clone().MoveToOuterDisposeScope()).ToList();
    }

    private static void Restore(IReadOnlyList<Tensor> parameters, List<Tensor> snapshot)
    {
        using var noGrad = torch.no_grad();
        foreach (var (p, saved) in parameters.Zip(snapshot)) p.copy_(saved);
    }

    /// <summary>
    /// The optimizer's state as its checkpoint bytes, in a stream kept per optimizer and written over at every update:
    /// a new stream (grown by doubling, then copied out) put about a megabyte on the large-object heap per update of the
    /// quadruped's networks, and the collections it caused made the copy take 0.5 to 11 ms instead of under one.
    /// </summary>
    private static MemoryStream Snapshot(OptimizerHelper optimizer)
    {
        var memory = SnapshotStreams.GetValue(optimizer, _ => new MemoryStream());
        memory.SetLength(0);
        using (var writer = new BinaryWriter(memory, System.Text.Encoding.UTF8, leaveOpen: true)) optimizer.save_state_dict(writer);
        return memory;
    }

    private static void Restore(OptimizerHelper optimizer, MemoryStream state)
    {
        state.Position = 0;
        using var reader = new BinaryReader(state, System.Text.Encoding.UTF8, leaveOpen: true);
        optimizer.load_state_dict(reader);
    }
}
