using Robotics.Training.Configuration;
using Robotics.Training.Policies;
using Robotics.Training.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace Robotics.Training.Tests.Policies;

/// <summary>The floor under ELU's pre-activations changes speed, never a number.</summary>
public sealed class EluFloorTests
{
    [Fact]
    public void Raising_pre_activations_to_the_floor_leaves_every_elu_output_the_same_bit_for_bit()
    {
        // Far below the floor, across it, and through the whole range where the output still moves.
        using var z = torch.cat([torch.linspace(-1000, -10, 2_000_001, dtype: float32), torch.linspace(-10, 10, 200_001, dtype: float32)]);
        using var plain = z.elu(FixedScalars.One, FixedScalars.One, FixedScalars.One);
        using var floored = EluFloor.InPlace(z.clone());
        using var differ = plain.ne(floored).sum();
        Assert.Equal(0, differ.item<long>());
        using var below = z.lt(EluFloor.Value.ToScalar());
        Assert.True(below.sum().item<long>() > 1_000_000, "the inputs must reach well below the floor for the comparison to mean anything");
    }

    [Fact]
    public void A_network_driven_far_below_the_floor_gives_the_same_outputs_with_and_without_a_graph()
    {
        torch.manual_seed(5);
        using var policy = new GaussianActorCritic(6, 2, new PolicyOptions { HiddenSizes = [32, 32], Activation = "elu" });
        using (torch.no_grad())
            using (var big = 40.ToScalar())
                foreach (var p in policy.parameters()) p.mul_(big); // pre-activations of several hundred either way
        using var obs = torch.randn(256, 6).mul_(3.ToScalar());

        using var withGraph = policy.Mean(obs); // autograd's path: the plain ELU
        Tensor withoutGraph;
        using (torch.no_grad()) withoutGraph = policy.Mean(obs);
        using var tape = policy.ActorTape();
        Tensor taped;
        using (torch.NewDisposeScope()) taped = tape.Forward(obs).MoveToOuterDisposeScope();

        // The first hidden layer's pre-activations reach below the floor and below -64, where the slow path was.
        var weights = policy.named_parameters().Where(p => p.name.StartsWith("actorMean.linear0.")).Select(p => p.parameter).ToList();
        using (torch.no_grad())
        using (var first = obs.mm(weights.Single(w => w.dim() == 2).t()))
            Assert.True(first.min().item<float>() < -64, $"lowest pre-activation {first.min().item<float>()}");
        Assert.Equal(0, withGraph.ne(withoutGraph).sum().item<long>());
        Assert.Equal(0, withGraph.ne(taped).sum().item<long>());
        withoutGraph.Dispose();
        taped.Dispose();
    }
}
