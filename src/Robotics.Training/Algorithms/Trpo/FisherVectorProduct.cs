using Robotics.Training.Policies;
using Robotics.Training.Tensors;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Robotics.Training.Algorithms.Trpo;

/// <summary>
/// Products F v of the policy's Fisher information matrix (averaged over a batch of observations) with a
/// vector, by double backpropagation: F is the Hessian of the mean KL(pi_old || pi_theta) at theta = theta_old,
/// so F v = grad_theta (grad_theta KL . v). The first gradient is taken once with its graph kept; each product
/// is one more backward pass. The matrix itself is never formed. Damping adds lambda v.
/// Tensors it makes belong to the caller's dispose scope; disposing frees the kept graph early.
/// </summary>
public sealed class FisherVectorProduct : IDisposable
{
    private readonly IReadOnlyList<Parameter> parameters;
    private readonly double damping;
    private readonly Tensor klGradient;

    public FisherVectorProduct(GaussianActorCritic policy, IReadOnlyList<Parameter> actorParameters, Tensor observations, double damping)
    {
        parameters = actorParameters;
        this.damping = damping;
        var newMean = policy.Mean(observations);
        var newLogStd = policy.LogStd;
        var kl = GaussianKl.Mean(newMean.detach(), newLogStd.detach(), newMean, newLogStd);
        var gradients = torch.autograd.grad([kl], parameters.Cast<Tensor>().ToList(), retain_graph: true, create_graph: true);
        klGradient = FlatParameters.Flatten(gradients);
    }

    /// <summary>(F + damping I) v for a flat vector v shaped like the actor's parameters.</summary>
    public Tensor Apply(Tensor v)
    {
        var gradientDotV = (klGradient * v.detach()).sum();
        var hessianV = torch.autograd.grad([gradientDotV], parameters.Cast<Tensor>().ToList(), retain_graph: true);
        using var dampingScalar = damping.ToScalar();
        return FlatParameters.Flatten(hessianV).detach().Plus(v.mul(dampingScalar));
    }

    public void Dispose() => klGradient.Dispose();
}
