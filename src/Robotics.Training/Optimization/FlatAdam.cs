using Robotics.Training.Tensors;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Robotics.Training.Optimization;

/// <summary>
/// Adam, with zeroing and the global gradient norm, over parameters that live in one contiguous buffer.
/// The parameters become views of that buffer and their gradients views of one flat gradient (autograd
/// accumulates into a defined gradient in place), so each of these is a handful of ops on one tensor instead
/// of several per parameter tensor: on small networks the per-call overhead of TorchSharp, not arithmetic,
/// sets the cost of a minibatch step. The moments are views of flat buffers that are also the per-parameter
/// state of a TorchSharp <see cref="Adam"/> (<see cref="Inner"/>), so checkpoints, snapshots and learning
/// rates go through it and keep its layout. The arithmetic is TorchSharp's Adam, element by element.
/// </summary>
public sealed class FlatAdam : IDisposable
{
    private readonly Tensor values;
    private readonly Tensor gradients;
    private readonly Tensor expAvg;
    private readonly Tensor expAvgSq;
    private readonly List<Adam.State> states;
    private readonly double beta1;
    private readonly double beta2;
    private readonly double eps;

    public FlatAdam(IReadOnlyList<Parameter> parameters, double learningRate, double eps)
    {
        if (parameters.Count == 0) throw new ArgumentException("no parameters to optimize", nameof(parameters));
        var first = parameters[0];
        if (parameters.Any(p => p.dtype != first.dtype || p.device_type != first.device_type || p.device_index != first.device_index))
            throw new ArgumentException("the parameters of one flat buffer must share dtype and device", nameof(parameters));

        Inner = optim.Adam(parameters, lr: learningRate, eps: eps);
        (beta1, beta2) = Inner.Betas;
        this.eps = eps;
        states = Inner.state_dict().State.Cast<Adam.State>().ToList();

        var offsets = AlignedOffsets(parameters, out long total);
        using var noGrad = torch.no_grad();
        values = torch.zeros(total, dtype: first.dtype, device: first.device).DetachFromDisposeScope();
        gradients = torch.zeros(total, dtype: first.dtype, device: first.device).DetachFromDisposeScope();
        expAvg = torch.zeros(total, dtype: first.dtype, device: first.device).DetachFromDisposeScope();
        expAvgSq = torch.zeros(total, dtype: first.dtype, device: first.device).DetachFromDisposeScope();

        for (int i = 0; i < parameters.Count; i++)
        {
            var p = parameters[i];
            long n = p.numel(), offset = offsets[i];
            using (var scope = torch.NewDisposeScope())
            {
                var slot = values.narrow(0, offset, n).view_as(p);
                slot.copy_(p);
                p.set_(slot);
                p.grad = gradients.narrow(0, offset, n).view_as(p);
            }

            states[i].exp_avg.Dispose();
            states[i].exp_avg_sq.Dispose();
            states[i].exp_avg = expAvg.narrow(0, offset, n).view_as(p).DetachFromDisposeScope();
            states[i].exp_avg_sq = expAvgSq.narrow(0, offset, n).view_as(p).DetachFromDisposeScope();
        }
    }

    /// <summary>The TorchSharp Adam that holds the state: learning rate (its param group), step counts and moments.</summary>
    public Adam Inner { get; }

    public void ZeroGrad()
    {
        using var noGrad = torch.no_grad();
        gradients.zero_();
    }

    /// <summary>
    /// Scales the gradients to a global L2 norm of at most <paramref name="maxNorm"/>, as
    /// nn.utils.clip_grad_norm_ does (coefficient maxNorm / (norm + 1e-6) when below 1); returns the norm before.
    /// </summary>
    public double ClipGradNorm(double maxNorm)
    {
        using var noGrad = torch.no_grad();
        using var norm = gradients.norm();
        double total = norm.ToDoubleValue();
        double coefficient = maxNorm / (total + 1e-6);
        if (coefficient < 1)
        {
            using var scale = coefficient.ToScalar();
            gradients.mul_(scale);
        }
        return total;
    }

    /// <summary>One Adam step with the learning rate of <see cref="Inner"/>'s param group.</summary>
    public void Step()
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        foreach (var state in states) state.step++;
        AdamStep.Apply(values, gradients, expAvg, expAvgSq, states[0].step, Inner.ParamGroups.First().LearningRate, beta1, beta2, eps);
    }

    /// <summary>
    /// Where each parameter starts in the buffer: on a 64-byte boundary, as a tensor of its own would, so that
    /// matrix kernels see aligned rows. The gaps stay zero in values, gradients and moments, so they change nothing.
    /// </summary>
    private static long[] AlignedOffsets(IReadOnlyList<Parameter> parameters, out long total)
    {
        const long alignment = 16;    // elements of 4 bytes; 8-byte types get 128 bytes
        var offsets = new long[parameters.Count];
        total = 0;
        for (int i = 0; i < parameters.Count; i++)
        {
            offsets[i] = (total + alignment - 1) / alignment * alignment;
            total = offsets[i] + parameters[i].numel();
        }

        return offsets;
    }

    public void Dispose()
    {
        Inner.Dispose();
        values.Dispose();
        gradients.Dispose();
        expAvg.Dispose();
        expAvgSq.Dispose();
    }
}
