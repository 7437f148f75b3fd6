using Robotics.Training.Tensors;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Robotics.Training.Optimization;

/// <summary>
/// RMSprop's update (no momentum, not centered, no weight decay: the form A2C uses) with TorchSharp's arithmetic,
/// but with every scalar held and disposed here, for the reason given on <see cref="AdamStep"/>.
/// </summary>
public static class RmsPropStep
{
    /// <summary>One step of <paramref name="optimizer"/>, on its own state (step counts and square averages).</summary>
    public static void Step(RMSProp optimizer, double alpha, double eps)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        double learningRate = optimizer.ParamGroups.First().LearningRate;
        using var decay = alpha.ToScalar();
        using var keep = (1 - alpha).ToScalar();
        using var epsilon = eps.ToScalar();
        using var stepSize = (-learningRate).ToScalar();
        var parameters = optimizer.parameters().ToList();
        var states = optimizer.state_dict().State.Cast<RMSProp.State>().ToList();
        for (int i = 0; i < parameters.Count; i++)
        {
            var grad = parameters[i].grad;
            if (grad is null)
                continue;
            var state = states[i];
            state.step++;
            state.square_avg.mul_(decay).addcmul_(grad, grad, value: keep);
            var denominator = state.square_avg.sqrt().PlusInPlace(epsilon);
            parameters[i].addcdiv_(grad, denominator, value: stepSize);
        }
    }
}
