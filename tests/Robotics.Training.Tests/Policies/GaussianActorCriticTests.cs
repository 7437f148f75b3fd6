using Robotics.Training.Configuration;
using Robotics.Training.Policies;
using TorchSharp;
using static TorchSharp.torch;

namespace Robotics.Training.Tests.Policies;

public sealed class GaussianActorCriticTests
{
    [Fact]
    public void Log_prob_and_entropy_match_the_diagonal_gaussian_formulas()
    {
        torch.manual_seed(3);
        using var net = new GaussianActorCritic(3, 2, new PolicyOptions { InitLogStd = -0.5 });
        using var obs = torch.randn(4, 3);
        using var actions = torch.randn(4, 2);
        using var mean = net.Mean(obs);
        var (logProb, entropy, _) = net.Evaluate(obs, actions);

        var m = mean.data<float>().ToArray();
        var a = actions.data<float>().ToArray();
        double std = Math.Exp(-0.5);
        for (int i = 0; i < 4; i++)
        {
            double expected = 0;
            for (int j = 0; j < 2; j++)
            {
                double z = (a[i * 2 + j] - m[i * 2 + j]) / std;
                expected += -0.5 * z * z - Math.Log(std) - 0.5 * Math.Log(2 * Math.PI);
            }

            Assert.Equal(expected, logProb[i].item<float>(), 4);
        }

        double expectedEntropy = 2 * (0.5 + 0.5 * Math.Log(2 * Math.PI) - 0.5);
        Assert.Equal(expectedEntropy, entropy[0].item<float>(), 5);
    }

    [Fact]
    public void Policy_output_layer_starts_near_zero_and_hidden_layers_are_orthogonal()
    {
        torch.manual_seed(1);
        using var net = new GaussianActorCritic(4, 2, new PolicyOptions { HiddenSizes = [8, 8] });
        var layers = net.ActorLayers();
        Assert.Equal(3, layers.Count);
        // W W^T = gain^2 I for a 8x4 orthogonal block's columns: check W^T W (4x4) = 2 I.
        var w = layers[0].Weight;
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++)
            {
                double dot = 0;
                for (int o = 0; o < 8; o++) dot += w[o * 4 + i] * w[o * 4 + j];
                Assert.Equal(i == j ? 2.0 : 0.0, dot, 4);
            }

        Assert.All(layers[2].Weight, x => Assert.True(Math.Abs(x) <= 0.01 + 1e-6));
        Assert.All(layers[0].Bias, b => Assert.Equal(0f, b));
    }
}
