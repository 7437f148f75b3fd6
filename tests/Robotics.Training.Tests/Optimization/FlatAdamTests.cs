using Robotics.Training.Optimization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Robotics.Training.Tests.Optimization;

public sealed class FlatAdamTests
{
    [Fact]
    public void Steps_match_TorchSharp_Adam_with_the_same_gradient_clipping()
    {
        var (flatNet, plainNet) = TwinNetworks();
        using var flat = new FlatAdam(flatNet.parameters().ToList(), learningRate: 1e-2, eps: 1e-5);
        using var plain = optim.Adam(plainNet.parameters(), lr: 1e-2, eps: 1e-5);

        for (int step = 0; step < 5; step++)
        {
            using var scope = torch.NewDisposeScope();
            var input = torch.randn(8, 3);
            var target = torch.randn(8, 2);

            flat.ZeroGrad();
            torch.nn.functional.mse_loss(flatNet.forward(input), target).backward();
            double flatNorm = flat.ClipGradNorm(0.1);
            flat.Step();

            plain.zero_grad();
            torch.nn.functional.mse_loss(plainNet.forward(input), target).backward();
            double plainNorm = nn.utils.clip_grad_norm_(plainNet.parameters(), 0.1);
#pragma warning disable RS0030 // TorchSharp's own Adam is the reference this test compares with
            plain.step();
#pragma warning restore RS0030

            Assert.Equal(plainNorm, flatNorm, 5);
        }

        AssertSameParameters(plainNet, flatNet);
    }

    [Fact]
    public void Parameters_and_gradients_become_views_of_the_flat_buffers()
    {
        var (net, _) = TwinNetworks();
        var before = net.parameters().Select(p => p.detach().clone()).ToList();
        using var flat = new FlatAdam(net.parameters().ToList(), learningRate: 1e-2, eps: 1e-5);

        // Moving into the buffer keeps the values; backward fills the flat gradient, so zeroing it clears every parameter's.
        foreach (var (p, b) in net.parameters().Zip(before)) Assert.True(Same(p, b));
        torch.nn.functional.mse_loss(net.forward(torch.randn(4, 3)), torch.randn(4, 2)).backward();
        Assert.True(flat.ClipGradNorm(double.MaxValue) > 0);
        flat.ZeroGrad();
        foreach (var p in net.parameters()) Assert.Equal(0f, p.grad!.abs().sum().item<float>());
    }

    [Fact]
    public void State_keeps_TorchSharp_Adam_layout_and_restores_the_moments()
    {
        var (flatNet, plainNet) = TwinNetworks();
        using var flat = new FlatAdam(flatNet.parameters().ToList(), learningRate: 1e-2, eps: 1e-5);
        using var plain = optim.Adam(plainNet.parameters(), lr: 1e-2, eps: 1e-5);
        TrainOneStep(flatNet, flat);

        using var saved = new MemoryStream();
        using (var writer = new BinaryWriter(saved, System.Text.Encoding.UTF8, leaveOpen: true)) flat.Inner.save_state_dict(writer);
        saved.Position = 0;
        plain.load_state_dict(new BinaryReader(saved));

        // The plain Adam reads the flat one's per-parameter moments; loading back into the flat one restores them in its buffers.
        var flatStates = flat.Inner.state_dict().State.Cast<Adam.State>().ToList();
        var plainStates = plain.state_dict().State.Cast<Adam.State>().ToList();
        Assert.Equal(flatStates.Count, plainStates.Count);
        for (int i = 0; i < flatStates.Count; i++)
        {
            Assert.Equal(1, plainStates[i].step);
            Assert.True(Same(plainStates[i].exp_avg, flatStates[i].exp_avg));
            Assert.True(Same(plainStates[i].exp_avg_sq, flatStates[i].exp_avg_sq));
        }

        var expected = flatStates.Select(s => s.exp_avg_sq.clone()).ToList();
        TrainOneStep(flatNet, flat);
        saved.Position = 0;
        flat.Inner.load_state_dict(new BinaryReader(saved));
        for (int i = 0; i < flatStates.Count; i++) Assert.True(Same(flatStates[i].exp_avg_sq, expected[i]));
    }

    private static void TrainOneStep(Sequential net, FlatAdam optimizer)
    {
        using var scope = torch.NewDisposeScope();
        optimizer.ZeroGrad();
        torch.nn.functional.mse_loss(net.forward(torch.randn(8, 3)), torch.randn(8, 2)).backward();
        optimizer.Step();
    }

    private static (Sequential, Sequential) TwinNetworks()
    {
        torch.manual_seed(5);
        var a = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2));
        var b = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2));
        using (torch.no_grad())
        {
            foreach (var (pa, pb) in a.parameters().Zip(b.parameters())) pb.copy_(pa);
        }

        return (a, b);
    }

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.allclose(b, rtol: 0, atol: 0);

    private static void AssertSameParameters(Sequential expected, Sequential actual)
    {
        foreach (var (e, a) in expected.parameters().Zip(actual.parameters()))
            Assert.True(a.allclose(e, rtol: 1e-5, atol: 1e-7), $"max difference {(a - e).abs().max().item<float>()}");
    }
}
