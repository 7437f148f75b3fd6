using Robotics.Training.Configuration;

namespace Robotics.Training.Algorithms.Sac;

/// <summary>
/// SAC's options, the <c>sac:</c> section of a training config. Defaults follow Haarnoja et al. 2018
/// and CleanRL's sac_continuous_action. The networks' widths and activation come from the <c>policy:</c> section.
/// </summary>
public sealed record SacOptions : AlgorithmOptions
{
    /// <summary>Vector steps per iteration (each steps every environment once); the runner logs, evaluates and checkpoints per iteration.</summary>
    public int StepsPerIteration { get; init; } = 32;

    /// <summary>Transitions the replay buffer holds; allocated in full at the start.</summary>
    public int BufferSize { get; init; } = 1_000_000;

    /// <summary>Transitions (summed over environments) gathered with uniform random actions before learning starts.</summary>
    public int LearningStarts { get; init; } = 5_000;

    /// <summary>Gradient updates per environment transition (the replay ratio); 0.25 with 4 environments is one update per vector step.</summary>
    public double UpdatesPerStep { get; init; } = 1.0;

    /// <summary>Transitions per gradient update.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>Discount factor.</summary>
    public double Gamma { get; init; } = 0.99;

    /// <summary>Polyak averaging rate of the target critics: target = tau * critic + (1 - tau) * target, after every update.</summary>
    public double Tau { get; init; } = 0.005;

    /// <summary>Adam's learning rate for the actor.</summary>
    public double ActorLearningRate { get; init; } = 3e-4;

    /// <summary>Adam's learning rate for the twin critics.</summary>
    public double CriticLearningRate { get; init; } = 1e-3;

    /// <summary>Adam's learning rate for log alpha.</summary>
    public double AlphaLearningRate { get; init; } = 1e-3;

    /// <summary>Learn the temperature alpha so that the policy's entropy tracks the target; false keeps InitialAlpha.</summary>
    public bool AutoAlpha { get; init; } = true;

    /// <summary>The temperature at the start (and throughout when AutoAlpha is false).</summary>
    public double InitialAlpha { get; init; } = 1.0;

    /// <summary>Entropy the temperature aims for; null for minus the action dimension.</summary>
    public double? TargetEntropy { get; init; }

    /// <summary>Lower clamp of the actor's log standard deviation.</summary>
    public double LogStdMin { get; init; } = -5.0;

    /// <summary>Upper clamp of the actor's log standard deviation.</summary>
    public double LogStdMax { get; init; } = 2.0;

    /// <summary>Rewards are multiplied by this before they are stored (SAC's answer to reward scale; the PPO reward scaler is not used).</summary>
    public double RewardScale { get; init; } = 1.0;

    /// <summary>Write the replay buffer into checkpoints (large), so a resumed run continues exactly; otherwise it refills from empty.</summary>
    public bool SaveBuffer { get; init; }

    /// <summary>Sizes derived from the options and the number of environments, computed in one place.</summary>
    public SacSizes SizesFor(int numEnvs, int actionSize)
    {
        int transitions = StepsPerIteration * numEnvs;
        int updates = Math.Max(1, (int)Math.Round(UpdatesPerStep * transitions));
        return new SacSizes(transitions, updates, TargetEntropy ?? -actionSize);
    }

    public override void Validate(ConfigCheck check, TrainingConfig config)
    {
        check.Positive(StepsPerIteration, "steps_per_iteration");
        check.Positive(BufferSize, "buffer_size");
        check.Require(BatchSize > 0 && BatchSize <= BufferSize, "batch_size", $"must be between 1 and buffer_size ({BufferSize})");
        check.Require(LearningStarts >= 0 && LearningStarts <= BufferSize, "learning_starts",
            $"must be between 0 and buffer_size ({BufferSize}), or learning would never start");
        check.Require(UpdatesPerStep > 0, "updates_per_step", "must be positive (gradient updates per environment transition)");
        check.Gamma(Gamma);
        check.Require(Tau is > 0 and <= 1, "tau", "must be in (0, 1]");
        check.Positive(ActorLearningRate, "actor_learning_rate");
        check.Positive(CriticLearningRate, "critic_learning_rate");
        check.Positive(AlphaLearningRate, "alpha_learning_rate");
        check.Positive(InitialAlpha, "initial_alpha");
        check.Require(LogStdMin < LogStdMax, "log_std_min", $"must be below log_std_max ({LogStdMax})");
        check.Positive(RewardScale, "reward_scale");
    }
}

/// <summary>
/// TransitionsPerIteration = StepsPerIteration x NumEnvs; UpdatesPerIteration = UpdatesPerStep x TransitionsPerIteration
/// (at least 1) once learning has started; TargetEntropy = the configured one or -ActionSize.
/// </summary>
public readonly record struct SacSizes(int TransitionsPerIteration, int UpdatesPerIteration, double TargetEntropy);
