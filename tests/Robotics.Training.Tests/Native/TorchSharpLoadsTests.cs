using Robotics.Training.Tensors;
using Robotics.Training.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace Robotics.Training.Tests.Native;

public sealed class TorchSharpLoadsTests
{
    [Fact]
    public void Tiny_mlp_trains_on_cpu_and_its_loss_falls()
    {
        torch.manual_seed(7);
        var model = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 1));
        var optimizer = optim.Adam(model.parameters(), lr: 0.01);
        // y = x0 - 2 x1, a target the network can fit in a few hundred steps.
        using var x = torch.rand(64, 2).mul(FixedScalars.Two).sub(FixedScalars.One);
        using var y = (x[.., 0] - x[.., 1].mul(FixedScalars.Two)).unsqueeze(1);

        float first = 0, last = 0;
        for (int step = 0; step < 300; step++)
        {
            using var scope = torch.NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.mse_loss(model.forward(x), y);
            loss.backward();
            AdamStep.Step(optimizer, eps: 1e-8);
            if (step == 0) first = loss.item<float>();
            last = loss.item<float>();
        }

        Assert.True(last < first * 0.05f, $"loss went from {first} to {last}");
    }
}
