using Robotics.Training.Algorithms.OnPolicy;
using Robotics.Training.Configuration;

namespace Robotics.Training.Algorithms.Trpo;

/// <summary>
/// TRPO's options, the <c>trpo:</c> section of a training config (Schulman et al. 2015, with GAE and the
/// separate value update of Stable-Baselines3's sb3-contrib TRPO, whose defaults these follow).
/// </summary>
public sealed record TrpoOptions : OnPolicyOptions
{
    /// <summary>Environment steps per environment in one rollout; the batch is RolloutSteps x NumEnvs.</summary>
    public override int RolloutSteps { get; init; } = 128;

    /// <summary>Discount factor.</summary>
    public override double Gamma { get; init; } = 0.99;

    /// <summary>GAE's lambda.</summary>
    public double GaeLambda { get; init; } = 0.95;

    /// <summary>Trust-region radius: the largest mean KL(old || new) a policy step may reach.</summary>
    public double MaxKl { get; init; } = 0.01;

    /// <summary>Added to the Fisher matrix (F + damping I) so conjugate gradient stays well conditioned.</summary>
    public double Damping { get; init; } = 0.1;

    /// <summary>Conjugate-gradient iterations per update.</summary>
    public int CgIterations { get; init; } = 15;

    /// <summary>Conjugate gradient stops once the squared residual norm falls below this.</summary>
    public double CgTolerance { get; init; } = 1e-10;

    /// <summary>Backtracking steps tried before the update is given up.</summary>
    public int LineSearchSteps { get; init; } = 10;

    /// <summary>Each backtracking step multiplies the step by this.</summary>
    public double LineSearchShrink { get; init; } = 0.8;

    /// <summary>Adam's learning rate for the value network.</summary>
    public double ValueLearningRate { get; init; } = 1e-3;

    /// <summary>Passes of minibatch regression of the value network per rollout.</summary>
    public int ValueEpochs { get; init; } = 10;

    /// <summary>Minibatches per value epoch.</summary>
    public int ValueMinibatches { get; init; } = 16;

    /// <summary>Normalize advantages over the batch.</summary>
    public bool NormalizeAdvantages { get; init; } = true;

    /// <summary>Global gradient norm limit of the value steps.</summary>
    public override double MaxGradNorm { get; init; } = 0.5;

    protected override void ValidateSection(ConfigCheck check, TrainingConfig config)
    {
        check.GaeLambda(GaeLambda);
        check.Require(MaxKl > 0, "max_kl", "must be positive (the trust-region radius, e.g. 0.01)");
        check.Require(Damping >= 0, "damping", "must be 0 or more");
        check.Positive(CgIterations, "cg_iterations");
        check.Positive(LineSearchSteps, "line_search_steps");
        check.Require(LineSearchShrink is > 0 and < 1, "line_search_shrink", "must be in (0, 1)");
        check.Positive(ValueLearningRate, "value_learning_rate");
        check.Positive(ValueEpochs, "value_epochs");
        check.Minibatches(ValueMinibatches, RolloutSteps, config.NumEnvs, "value_minibatches");
    }
}
