using Robotics.Training.Algorithms.Sac;
using Robotics.Training.Configuration;
using Robotics.Training.Tests.Fakes;
using TorchSharp;

namespace Robotics.Training.Tests.Algorithms.Sac;

public sealed class SacActorGradientTests
{
    [Fact]
    public void The_actor_loss_reaches_the_actions_through_the_critics_but_not_the_critics_parameters()
    {
        using var env = new PointMassVectorEnv(2);
        var config = new TrainingConfig { Algorithm = "sac", Task = "point-mass", NumEnvs = 2, Policy = new PolicyOptions { HiddenSizes = [16, 16] } };
        torch.manual_seed(5);
        using var sac = new SacAlgorithm(config, env.Spec, torch.CPU);
        using var scope = torch.NewDisposeScope();
        var observations = torch.randn(8, env.Spec.ObservationSize);
        var actions = torch.randn(8, env.Spec.ActionSize).requires_grad_(true);

        var (q1, q2) = sac.CriticWithoutParameterGradients(observations, actions);
        torch.minimum(q1, q2).sum().backward();

        Assert.NotNull(actions.grad);
        Assert.True(actions.grad!.abs().sum().item<float>() > 0);
        Assert.All(sac.Critic.parameters(), p =>
        {
            Assert.True(p.grad is null || p.grad.abs().sum().item<float>() == 0, "a critic parameter got a gradient from the actor's loss");
            Assert.True(p.requires_grad, "the critic's own update needs its parameters to require gradients again");
        });
    }
}
