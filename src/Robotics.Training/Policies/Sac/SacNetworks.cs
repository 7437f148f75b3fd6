using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Robotics.Training.Policies.Sac;

/// <summary>Builds the plain MLPs of SAC's actor and critics (PyTorch's default initialization, as CleanRL's SAC uses).</summary>
internal static class SacNetworks
{
    /// <summary>Hidden layers only: Linear + activation per width; the Linear modules are returned in order for export.</summary>
    public static (Sequential Net, List<Linear> Layers, int Width) Trunk(int input, IReadOnlyList<int> hidden, string activation)
    {
        var modules = new List<(string, nn.Module<Tensor, Tensor>)>();
        var layers = new List<Linear>();
        int width = input;
        for (int i = 0; i < hidden.Count; i++)
        {
            var linear = nn.Linear(width, hidden[i]);
            layers.Add(linear);
            modules.Add(($"linear{i}", linear));
            modules.Add(($"act{i}", Activation(activation)));
            width = hidden[i];
        }

        return (nn.Sequential(modules), layers, width);
    }

    /// <summary>A full MLP with a linear output.</summary>
    public static Sequential Mlp(int input, IReadOnlyList<int> hidden, int output, string activation)
    {
        var (trunk, _, width) = Trunk(input, hidden, activation);
        trunk.append("out", nn.Linear(width, output));
        return trunk;
    }

    public static nn.Module<Tensor, Tensor> Activation(string name) => name switch
    {
        "tanh" => nn.Tanh(),
        "relu" => nn.ReLU(),
        "elu" => new HeldScalarElu(),
        _ => throw new ArgumentException($"unknown activation '{name}': expected tanh, relu or elu", nameof(name)),
    };

    public static DenseLayer ToDense(Linear layer)
    {
        using var scope = torch.NewDisposeScope();
        return new DenseLayer(
            (int)layer.in_features,
            (int)layer.out_features,
            layer.weight!.detach().cpu().contiguous().data<float>().ToArray(),
            layer.bias!.detach().cpu().contiguous().data<float>().ToArray());
    }
}
