using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Robotics.Training.Optimization;

/// <summary>
/// One step of a TorchSharp <see cref="Adam"/> (no weight decay, no AMSGrad), with its arithmetic and its state,
/// but with every scalar held and disposed here: TorchSharp's own step converts doubles to Scalars implicitly,
/// and such a Scalar can be finalized while its native call still runs if another thread triggers a garbage
/// collection meanwhile (seen once as a garbage scalar inside Adam.step in a SAC test).
/// </summary>
public static class AdamStep
{
    public static void Step(Adam optimizer, double eps)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var (beta1, beta2) = optimizer.Betas;
        double learningRate = optimizer.ParamGroups.First().LearningRate;
        var parameters = optimizer.parameters().ToList();
        var states = optimizer.state_dict().State.Cast<Adam.State>().ToList();
        using var decay1 = beta1.ToScalar();
        using var keep1 = (1 - beta1).ToScalar();
        using var decay2 = beta2.ToScalar();
        using var keep2 = (1 - beta2).ToScalar();
        using var epsilon = eps.ToScalar();
        for (int i = 0; i < parameters.Count; i++)
        {
            var grad = parameters[i].grad;
            if (grad is null)
                continue;
            var state = states[i];
            state.step++;
            double biasCorrection1 = 1 - Math.Pow(beta1, state.step);
            double biasCorrection2 = 1 - Math.Pow(beta2, state.step);
            using var correction2 = Math.Sqrt(biasCorrection2).ToScalar();
            using var stepSize = (-learningRate / biasCorrection1).ToScalar();
            state.exp_avg.mul_(decay1).add_(grad, alpha: keep1);
            state.exp_avg_sq.mul_(decay2).addcmul_(grad, grad, value: keep2);
            var denominator = state.exp_avg_sq.sqrt().div_(correction2).add_(epsilon);
            parameters[i].addcdiv_(state.exp_avg, denominator, value: stepSize);
        }
    }
}
