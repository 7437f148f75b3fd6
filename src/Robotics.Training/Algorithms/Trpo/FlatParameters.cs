using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Robotics.Training.Algorithms.Trpo;

/// <summary>A list of parameters seen as one flat vector, the space TRPO's step lives in.</summary>
public static class FlatParameters
{
    public static Tensor Get(IReadOnlyList<Parameter> parameters)
    {
        using var noGrad = torch.no_grad();
        return torch.cat(parameters.Select(p => p.detach().reshape(-1)).ToList());
    }

    public static void Set(IReadOnlyList<Parameter> parameters, Tensor flat)
    {
        using var noGrad = torch.no_grad();
        long offset = 0;
        foreach (var p in parameters)
        {
            long n = p.numel();
            p.copy_(flat.narrow(0, offset, n).view_as(p));
            offset += n;
        }
    }

    /// <summary>Concatenates per-parameter gradients (or any tensors shaped like the parameters) into one vector.</summary>
    public static Tensor Flatten(IEnumerable<Tensor> perParameter) => torch.cat(perParameter.Select(g => g.reshape(-1)).ToList());
}
