using Robotics.Training.Configuration;

namespace Robotics.Training.Algorithms.OnPolicy;

/// <summary>What every on-policy algorithm's options have; each sets its own defaults and checks the rest of its section.</summary>
public abstract record OnPolicyOptions : AlgorithmOptions
{
    /// <summary>Environment steps per environment in one rollout; the batch is RolloutSteps x NumEnvs.</summary>
    public abstract int RolloutSteps { get; init; }

    /// <summary>Discount factor.</summary>
    public abstract double Gamma { get; init; }

    /// <summary>Global gradient norm limit.</summary>
    public abstract double MaxGradNorm { get; init; }

    public sealed override void Validate(ConfigCheck check, TrainingConfig config)
    {
        check.Positive(RolloutSteps, "rollout_steps");
        check.Gamma(Gamma);
        check.Positive(MaxGradNorm, "max_grad_norm");
        ValidateSection(check, config);
    }

    /// <summary>The checks of this algorithm's own keys.</summary>
    protected abstract void ValidateSection(ConfigCheck check, TrainingConfig config);
}
