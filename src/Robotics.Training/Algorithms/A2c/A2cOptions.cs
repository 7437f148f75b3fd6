using Robotics.Training.Algorithms.OnPolicy;
using Robotics.Training.Configuration;

namespace Robotics.Training.Algorithms.A2c;

/// <summary>
/// A2C's options, the <c>a2c:</c> section of a training config. Defaults follow Mnih et al. 2016 as
/// Stable-Baselines3 ships it (5-step rollouts, RMSprop, lr 7e-4, value coefficient 0.5, gradient norm 0.5).
/// </summary>
public sealed record A2cOptions : OnPolicyOptions
{
    /// <summary>Environment steps per environment in one rollout; one gradient step per rollout of RolloutSteps x NumEnvs samples.</summary>
    public override int RolloutSteps { get; init; } = 5;

    /// <summary>Advantage estimator: n_step (n-step returns minus V) or gae.</summary>
    public string Advantage { get; init; } = "n_step";

    /// <summary>n of the n-step returns; at least rollout_steps gives the classic "bootstrap at the rollout's end" returns.</summary>
    public int NSteps { get; init; } = 5;

    /// <summary>GAE's lambda, when advantage is gae.</summary>
    public double GaeLambda { get; init; } = 1.0;

    /// <summary>Discount factor.</summary>
    public override double Gamma { get; init; } = 0.99;

    /// <summary>Optimizer: rmsprop (alpha 0.99, eps 1e-5, as the reference) or adam.</summary>
    public string Optimizer { get; init; } = "rmsprop";

    /// <summary>Learning rate at the start of training.</summary>
    public double LearningRate { get; init; } = 7e-4;

    /// <summary>How the learning rate falls over the run: constant, linear (to 0) or cosine (to 0).</summary>
    public string LrSchedule { get; init; } = "constant";

    /// <summary>Weight of the value loss.</summary>
    public double ValueCoef { get; init; } = 0.5;

    /// <summary>Weight of the entropy bonus.</summary>
    public double EntropyCoef { get; init; } = 0.0;

    /// <summary>Global gradient norm limit.</summary>
    public override double MaxGradNorm { get; init; } = 0.5;

    /// <summary>Normalize advantages over the batch.</summary>
    public bool NormalizeAdvantages { get; init; }

    protected override void ValidateSection(ConfigCheck check, TrainingConfig config)
    {
        check.Require(Advantage is "n_step" or "gae", "advantage", $"expected n_step or gae, got '{Advantage}'");
        check.Positive(NSteps, "n_steps");
        check.GaeLambda(GaeLambda);
        check.Require(Optimizer is "rmsprop" or "adam", "optimizer", $"expected rmsprop or adam, got '{Optimizer}'");
        check.LearningRate(LearningRate, LrSchedule);
    }
}
