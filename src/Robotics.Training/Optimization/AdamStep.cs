using Robotics.Training.Tensors;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Robotics.Training.Optimization;

/// <summary>
/// Adam's update (no weight decay, no AMSGrad) with TorchSharp's arithmetic, but with every scalar held and
/// disposed here: TorchSharp's own step converts doubles to Scalars implicitly, and such a Scalar can be
/// finalized while its native call still runs if another thread triggers a garbage collection meanwhile
/// (seen once as a garbage scalar inside Adam.step in a SAC test).
/// </summary>
public static class AdamStep
{
    /// <summary>One step of <paramref name="optimizer"/>, on its own state (step counts and moments).</summary>
    public static void Step(Adam optimizer, double eps)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var (beta1, beta2) = optimizer.Betas;
        double learningRate = optimizer.ParamGroups.First().LearningRate;
        var parameters = optimizer.parameters().ToList();
        var states = optimizer.state_dict().State.Cast<Adam.State>().ToList();
        for (int i = 0; i < parameters.Count; i++)
        {
            var grad = parameters[i].grad;
            if (grad is null)
                continue;
            var state = states[i];
            state.step++;
            Apply(parameters[i], grad, state.exp_avg, state.exp_avg_sq, state.step, learningRate, beta1, beta2, eps);
        }
    }

    /// <summary>
    /// Step number <paramref name="step"/> (1 for the first) of Adam on <paramref name="values"/>, updating the
    /// moments in place. Call it under no_grad.
    /// </summary>
    public static void Apply(Tensor values, Tensor gradients, Tensor expAvg, Tensor expAvgSq, long step,
        double learningRate, double beta1, double beta2, double eps)
    {
        double biasCorrection1 = 1 - Math.Pow(beta1, step);
        double biasCorrection2 = 1 - Math.Pow(beta2, step);
        using var decay1 = beta1.ToScalar();
        using var keep1 = (1 - beta1).ToScalar();
        using var decay2 = beta2.ToScalar();
        using var keep2 = (1 - beta2).ToScalar();
        using var correction2 = Math.Sqrt(biasCorrection2).ToScalar();
        using var epsilon = eps.ToScalar();
        using var stepSize = (-learningRate / biasCorrection1).ToScalar();
        expAvg.mul_(decay1).add_(gradients, alpha: keep1);
        expAvgSq.mul_(decay2).addcmul_(gradients, gradients, value: keep2);
        var denominator = expAvgSq.sqrt().div_(correction2).PlusInPlace(epsilon);
        values.addcdiv_(expAvg, denominator, value: stepSize);
    }
}
