using Robotics.Training.Algorithms.OnPolicy;
using Robotics.Training.Configuration;

namespace Robotics.Training.Algorithms.Ppo;

/// <summary>PPO's options, the <c>ppo:</c> section of a training config. Defaults follow the literature (CleanRL's continuous PPO).</summary>
public sealed record PpoOptions : OnPolicyOptions
{
    /// <summary>Environment steps per environment in one rollout; the batch is RolloutSteps x NumEnvs.</summary>
    public override int RolloutSteps { get; init; } = 64;

    /// <summary>Adam's learning rate at the start of training.</summary>
    public double LearningRate { get; init; } = 3e-4;

    /// <summary>
    /// How the learning rate changes over the run: constant, linear (to 0), cosine (to 0), or adaptive (steered by the
    /// measured KL towards <see cref="DesiredKl"/> after every minibatch, within [<see cref="LrMin"/>, <see cref="LrMax"/>]).
    /// </summary>
    public string LrSchedule { get; init; } = "linear";

    /// <summary>With the adaptive schedule: the KL per minibatch step that the learning rate is steered towards.</summary>
    public double DesiredKl { get; init; } = 0.01;

    /// <summary>With the adaptive schedule: the lowest learning rate.</summary>
    public double LrMin { get; init; } = 1e-5;

    /// <summary>With the adaptive schedule: the highest learning rate.</summary>
    public double LrMax { get; init; } = 1e-2;

    /// <summary>Discount factor.</summary>
    public override double Gamma { get; init; } = 0.99;

    /// <summary>GAE's lambda.</summary>
    public double GaeLambda { get; init; } = 0.95;

    /// <summary>Passes over each batch.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Minibatches per epoch.</summary>
    public int Minibatches { get; init; } = 32;

    /// <summary>Surrogate clipping range epsilon: the ratio is kept within [1 - eps, 1 + eps].</summary>
    public double ClipCoef { get; init; } = 0.2;

    /// <summary>Clip the value update to ClipCoef around the rollout's values.</summary>
    public bool ClipValueLoss { get; init; } = true;

    /// <summary>Weight of the value loss.</summary>
    public double ValueCoef { get; init; } = 0.5;

    /// <summary>Weight of the entropy bonus.</summary>
    public double EntropyCoef { get; init; } = 0.0;

    /// <summary>Global gradient norm limit.</summary>
    public override double MaxGradNorm { get; init; } = 0.5;

    /// <summary>Stop the epoch loop once the approximate KL to the rollout policy exceeds this; null for never.</summary>
    public double? TargetKl { get; init; }

    /// <summary>
    /// When <see cref="TargetKl"/> is checked: <c>epoch</c> (the mean KL of an epoch's minibatches, after the epoch) or
    /// <c>minibatch</c> (each minibatch's KL before its step; the update ends without the step that would have gone
    /// further). Per minibatch stops an update that runs away within its first epoch, which the epoch check lets through.
    /// </summary>
    public string KlStop { get; init; } = "epoch";

    /// <summary>Normalize advantages per minibatch.</summary>
    public bool NormalizeAdvantages { get; init; } = true;

    /// <summary>
    /// How the minibatch gradient is computed: <c>analytic</c> (worked out by hand, <see cref="PpoGradient"/>) or
    /// <c>autograd</c> (TorchSharp's autograd over <see cref="PpoLosses"/>). The same loss and gradient; analytic
    /// skips the autograd engine, whose cost per node dominates a step on small networks.
    /// </summary>
    public string Gradients { get; init; } = "analytic";

    /// <summary>Sizes derived from the options and the number of environments, computed in one place.</summary>
    public PpoSizes SizesFor(int numEnvs)
    {
        int batch = RolloutSteps * numEnvs;
        return new PpoSizes(batch, Math.Max(1, batch / Minibatches));
    }

    protected override void ValidateSection(ConfigCheck check, TrainingConfig config)
    {
        check.LearningRate(LearningRate, LrSchedule, "adaptive");
        check.Positive(DesiredKl, "desired_kl");
        check.Require(LrMin > 0 && LrMin <= LrMax, "lr_min", $"must be positive and at most lr_max ({LrMax})");
        check.Require(LrSchedule != "adaptive" || (LearningRate >= LrMin && LearningRate <= LrMax), "learning_rate",
            $"with lr_schedule: adaptive the initial rate must lie within [lr_min, lr_max] = [{LrMin}, {LrMax}]");
        check.Require(Gradients is "analytic" or "autograd", "gradients", $"expected analytic or autograd, got '{Gradients}'");
        check.GaeLambda(GaeLambda);
        check.Positive(Epochs, "epochs");
        check.Minibatches(Minibatches, RolloutSteps, config.NumEnvs, "minibatches");
        check.Positive(ClipCoef, "clip_coef");
        check.Require(TargetKl is null or > 0, "target_kl", "must be positive or left out");
        check.Require(KlStop is "epoch" or "minibatch", "kl_stop", $"expected epoch or minibatch, got '{KlStop}'");
        check.Require(KlStop == "epoch" || TargetKl is not null, "kl_stop", "minibatch needs target_kl, the KL it stops at");
    }
}

/// <summary>Batch = RolloutSteps x NumEnvs; Minibatch = Batch / Minibatches.</summary>
public readonly record struct PpoSizes(int Batch, int Minibatch);
