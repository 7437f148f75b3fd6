using Robotics.Training.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace Robotics.Training.Tests.Optimization;

public sealed class AdamStepTests
{
    [Fact]
    public void Steps_match_TorchSharp_Adam_and_advance_its_state()
    {
        torch.manual_seed(6);
        var ours = nn.Linear(3, 2);
        var theirs = nn.Linear(3, 2);
        theirs.load_state_dict(ours.state_dict());
        using var ourAdam = optim.Adam(ours.parameters(), lr: 1e-2);
        using var theirAdam = optim.Adam(theirs.parameters(), lr: 1e-2);

        for (int step = 0; step < 5; step++)
        {
            using var scope = torch.NewDisposeScope();
            var input = torch.randn(8, 3);
            var target = torch.randn(8, 2);

            ourAdam.zero_grad();
            nn.functional.mse_loss(ours.forward(input), target).backward();
            AdamStep.Step(ourAdam, eps: 1e-8);

            theirAdam.zero_grad();
            nn.functional.mse_loss(theirs.forward(input), target).backward();
#pragma warning disable RS0030 // TorchSharp's own Adam is the reference this test compares with
            theirAdam.step();
#pragma warning restore RS0030
        }

        foreach (var (mine, reference) in ours.parameters().Zip(theirs.parameters()))
            Assert.True(mine.allclose(reference, rtol: 1e-6, atol: 1e-7), $"largest difference {(mine - reference).abs().max().item<float>()}");
        var steps = ourAdam.state_dict().State.Cast<TorchSharp.Modules.Adam.State>().Select(s => s.step);
        Assert.All(steps, s => Assert.Equal(5L, s));
    }
}
