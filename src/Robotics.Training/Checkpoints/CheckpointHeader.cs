using Robotics.Contract;
using Robotics.Contract.Environments;

namespace Robotics.Training.Checkpoints;

/// <summary>
/// What a checkpoint says about itself and its run, besides the algorithm's tensors: enough to rebuild
/// the networks (config, environment shapes, contract) and to continue the run (counters, RNG, recovery state).
/// </summary>
public sealed record CheckpointHeader
{
    public int FormatVersion { get; init; } = 1;
    public string Algorithm { get; init; } = "";
    public string RunName { get; init; } = "";
    public string Task { get; init; } = "";
    public string ConfigYaml { get; init; } = "";
    public string ContractJson { get; init; } = "";
    public int NumEnvs { get; init; }
    public int ObservationSize { get; init; }
    public int ActionSize { get; init; }

    /// <summary>What the value network sees beyond the observations (the task's critic_observations); 0 in checkpoints before them.</summary>
    public int CriticObservationSize { get; init; }
    public float[] ActionLow { get; init; } = [];
    public float[] ActionHigh { get; init; } = [];
    public double ControlDt { get; init; }
    public int MaxEpisodeSteps { get; init; }
    public RunCounters Counters { get; init; } = new();
    public byte[] TorchRngState { get; init; } = [];
    public DateTime SavedUtc { get; init; }

    public EnvSpec ToEnvSpec() => new(NumEnvs, ObservationSize, ActionSize, ActionLow, ActionHigh,
        PolicyContract.FromJson(ContractJson), ControlDt, MaxEpisodeSteps, CriticObservationSize);
}

/// <summary>Where a run stands; saved in every checkpoint.</summary>
public sealed record RunCounters
{
    /// <summary>Updates done.</summary>
    public int Iteration { get; init; }

    /// <summary>Environment steps consumed, summed over environments.</summary>
    public long EnvSteps { get; init; }

    /// <summary>Best mean deterministic evaluation return so far (NaN before the first).</summary>
    public double BestEvalReturn { get; init; } = double.NaN;

    /// <summary>Mean deterministic evaluation return of the policy before its first update (NaN when not evaluated).</summary>
    public double InitialEvalReturn { get; init; } = double.NaN;

    /// <summary>Evaluations in a row below the collapse threshold.</summary>
    public int LowEvalStreak { get; init; }

    /// <summary>Recoveries performed (collapses and non-finite updates).</summary>
    public int Recoveries { get; init; }
}
