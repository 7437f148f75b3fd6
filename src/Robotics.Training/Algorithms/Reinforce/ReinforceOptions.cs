using Robotics.Training.Algorithms.OnPolicy;
using Robotics.Training.Configuration;

namespace Robotics.Training.Algorithms.Reinforce;

/// <summary>
/// REINFORCE's options, the <c>reinforce:</c> section of a training config (Williams 1992, in the reward-to-go
/// form of Sutton and Barto ch. 13). The networks come from the <c>policy:</c> section.
/// </summary>
public sealed record ReinforceOptions : OnPolicyOptions
{
    /// <summary>Environment steps per environment in one rollout; the batch is RolloutSteps x NumEnvs. Whole episodes fit best.</summary>
    public override int RolloutSteps { get; init; } = 256;

    /// <summary>Adam's learning rate for the policy at the start of training.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>How the learning rate falls over the run: constant, linear (to 0) or cosine (to 0).</summary>
    public string LrSchedule { get; init; } = "constant";

    /// <summary>Discount factor of the reward-to-go.</summary>
    public override double Gamma { get; init; } = 0.99;

    /// <summary>Scale the policy-gradient weights (returns, or returns minus the baseline) to zero mean and unit std over the batch.</summary>
    public bool NormalizeReturns { get; init; } = true;

    /// <summary>Subtract a learned state value from the return, and bootstrap cut episodes from it.</summary>
    public bool Baseline { get; init; } = true;

    /// <summary>Adam's learning rate for the baseline (value network).</summary>
    public double BaselineLearningRate { get; init; } = 1e-3;

    /// <summary>Full-batch regression steps of the baseline per rollout.</summary>
    public int BaselineSteps { get; init; } = 5;

    /// <summary>Weight of the entropy bonus.</summary>
    public double EntropyCoef { get; init; } = 0.0;

    /// <summary>Global gradient norm limit for the policy step and each baseline step.</summary>
    public override double MaxGradNorm { get; init; } = 0.5;

    protected override void ValidateSection(ConfigCheck check, TrainingConfig config)
    {
        check.LearningRate(LearningRate, LrSchedule);
        check.Positive(BaselineLearningRate, "baseline_learning_rate");
        check.Positive(BaselineSteps, "baseline_steps");
    }
}
