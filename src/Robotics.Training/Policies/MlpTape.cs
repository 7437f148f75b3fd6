using Robotics.Training.Tensors;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Robotics.Training.Policies;

/// <summary>
/// One MLP of <see cref="GaussianActorCritic"/> run forward without a graph, keeping each layer's input, and backward
/// by hand from those inputs into its weights' and biases' gradients. The arithmetic is what autograd does; what is
/// left out is the engine's bookkeeping per node, which on 64x64 networks costs more than the matrix products.
/// The kept tensors belong to the caller's dispose scope and are valid until the next <see cref="Forward"/>.
/// </summary>
public sealed class MlpTape : IDisposable
{
    private readonly Linear[] layers;
    private readonly string activation;
    private readonly Tensor?[] inputs;

    public MlpTape(IReadOnlyList<Linear> layers, string activation)
    {
        if (layers.Count == 0) throw new ArgumentException("an MLP needs at least one layer", nameof(layers));
        if (activation is not ("tanh" or "relu" or "elu"))
            throw new ArgumentException($"unknown activation '{activation}': expected tanh, relu or elu", nameof(activation));
        this.layers = layers.ToArray();
        this.activation = activation;
        inputs = new Tensor?[layers.Count];
    }

    /// <summary>The network's output for <paramref name="x"/> [batch, in]: [batch, out].</summary>
    public Tensor Forward(Tensor x)
    {
        using var noGrad = torch.no_grad();
        var h = x;
        for (int i = 0; ; i++)
        {
            inputs[i] = h;
            var layer = layers[i];
            if (i == layers.Length - 1) return torch.addmm(layer.bias!, h, layer.weight!.t(), beta: 1, alpha: 1);
            h = activation == "tanh"
                // tanh z = 2 sigmoid(2z) - 1: libtorch's float sigmoid is several times faster than its tanh on CPUs
                // without a vectorized tanh, and the 2 comes free with the matrix product.
                ? torch.addmm(layer.bias!, h, layer.weight!.t(), beta: 2, alpha: 2).sigmoid_().mul_(FixedScalars.Two).sub_(FixedScalars.One)
                : Activate(torch.addmm(layer.bias!, h, layer.weight!.t(), beta: 1, alpha: 1));
        }
    }

    /// <summary>
    /// Adds the gradient of the loss with respect to each weight and bias to its <c>grad</c>, given the gradient
    /// with respect to the output of the last <see cref="Forward"/> (left unchanged).
    /// </summary>
    public void Backward(Tensor outputGradient)
    {
        using var noGrad = torch.no_grad();
        if (inputs[0] is null) throw new InvalidOperationException("Backward needs a Forward first");
        var d = outputGradient;
        for (int i = layers.Length - 1; ; i--)
        {
            var layer = layers[i];
            var input = inputs[i]!;
            // dW = d^T input, [out, in]. libtorch's CPU kernels are several times slower on that product when the
            // layer has few inputs (a first layer fed 4 observations), so that case is computed as (input^T d)^T: the
            // same sums. Where inputs outnumber outputs (an output layer) the direct form is the faster one.
            if (layer.in_features < layer.out_features) Gradient(layer.weight!).PlusInPlace(input.t().mm(d).t());
            else Gradient(layer.weight!).addmm_(d.t(), input);
            Gradient(layer.bias!).addmv_(d.t(), Ones(d));
            if (i == 0) return;
            // d(loss)/d(input of this layer), then through the activation that produced it.
            d = ActivationBackward(d.mm(layer.weight!), input);
        }
    }

    private Tensor Activate(Tensor z) => activation == "relu" ? z.relu_() : z.elu_(FixedScalars.One, FixedScalars.One, FixedScalars.One);

    /// <summary>dL/dz from dL/dh and h = act(z), in place on <paramref name="dh"/>.</summary>
    private Tensor ActivationBackward(Tensor dh, Tensor h)
    {
        switch (activation)
        {
            case "tanh":
                // tanh' = 1 - h^2: dh - (dh h) h.
                return dh.addcmul_(dh * h, h, value: FixedScalars.MinusOne);
            case "relu":
                // As autograd: no gradient where the output is 0 (z <= 0).
                return dh.masked_fill_(h <= FixedScalars.Zero, FixedScalars.Zero);
            default:
                // ELU (alpha 1): 1 for z > 0, exp(z) = h + 1 below.
                return dh.mul_(h.clamp_max(FixedScalars.Zero).PlusInPlace(FixedScalars.One));
        }
    }

    private Tensor? ones;

    /// <summary>A column of ones as long as the batch, for bias gradients as one matrix-vector product.</summary>
    private Tensor Ones(Tensor d)
    {
        long n = d.shape[0];
        if (ones is null || ones.shape[0] != n || ones.device_type != d.device_type || ones.dtype != d.dtype)
        {
            ones?.Dispose();
            ones = torch.ones(n, dtype: d.dtype, device: d.device).DetachFromDisposeScope();
        }

        return ones;
    }

    public void Dispose() => ones?.Dispose();

    /// <summary>The gradient tensor that hand-written backward passes add into (FlatAdam gives every parameter one).</summary>
    internal static Tensor Gradient(Parameter p) =>
        p.grad ?? throw new InvalidOperationException("the parameter has no gradient tensor; zero the optimizer's gradients first");
}
