using MessagePack;

namespace Robotics.SimBridge.Protocol;

/// <summary>Reset (0x03): seeds environment i with Seed + i and resets every environment.</summary>
[MessagePackObject]
public sealed class ResetRequest
{
    [Key(0)] public int Seed { get; set; }
}

/// <summary>ResetReply (0x83).</summary>
[MessagePackObject]
public sealed class ResetReply
{
    /// <summary>float32 little-endian, row-major [NumEnvs, ObservationSize].</summary>
    [Key(0)] public byte[] Observations { get; set; } = [];

    /// <summary>float32 [NumEnvs, CriticObservationSize] (empty when the task has no critic observations).</summary>
    [Key(1)] public byte[] CriticObservations { get; set; } = [];
}

/// <summary>
/// Step (0x04): one action row per environment. Encoded and decoded without intermediate arrays by
/// <see cref="StepCodec"/>; this record documents the layout and serves tests and other tools.
/// </summary>
[MessagePackObject]
public sealed class StepRequest
{
    /// <summary>float32 little-endian, row-major [NumEnvs, ActionSize], in the robot's units, all finite.</summary>
    [Key(0)] public byte[] Actions { get; set; } = [];
}

/// <summary>StepReply (0x84). Finished environments were reset automatically.</summary>
[MessagePackObject]
public sealed class StepReply
{
    /// <summary>float32 [NumEnvs, ObservationSize]; for a finished environment, the first observation of its next episode.</summary>
    [Key(0)] public byte[] Observations { get; set; } = [];

    /// <summary>float32 [NumEnvs].</summary>
    [Key(1)] public byte[] Rewards { get; set; } = [];

    /// <summary>u8 [NumEnvs], 1 where the episode reached a terminal state.</summary>
    [Key(2)] public byte[] Terminated { get; set; } = [];

    /// <summary>u8 [NumEnvs], 1 where the episode was cut by the time limit.</summary>
    [Key(3)] public byte[] Truncated { get; set; } = [];

    /// <summary>Indices of the environments that finished in this step, ascending.</summary>
    [Key(4)] public int[] FinalEnvs { get; set; } = [];

    /// <summary>float32 [FinalEnvs.Length, ObservationSize]: the last observation of each finished episode, in FinalEnvs order.</summary>
    [Key(5)] public byte[] FinalObservations { get; set; } = [];

    /// <summary>Episodes that ended in this step.</summary>
    [Key(6)] public EpisodeWire[] Episodes { get; set; } = [];

    /// <summary>Environments reset in this step because their physics went unstable.</summary>
    [Key(7)] public int PhysicsResets { get; set; }

    /// <summary>float32 [NumEnvs, CriticObservationSize], as Observations, for the critic only (empty when the task has none).</summary>
    [Key(8)] public byte[] CriticObservations { get; set; } = [];

    /// <summary>float32 [FinalEnvs.Length, CriticObservationSize], as FinalObservations, for the critic only.</summary>
    [Key(9)] public byte[] FinalCriticObservations { get; set; } = [];
}

/// <summary>One finished episode: [env, return, length, terminated, truncated, stats].</summary>
[MessagePackObject]
public sealed class EpisodeWire
{
    [Key(0)] public int Env { get; set; }
    [Key(1)] public double Return { get; set; }
    [Key(2)] public int Length { get; set; }
    [Key(3)] public bool Terminated { get; set; }
    [Key(4)] public bool Truncated { get; set; }

    /// <summary>Task statistics of the episode (e.g. "reward/alive"), or nil when the environment gives none.</summary>
    [Key(5)] public Dictionary<string, double>? Stats { get; set; }
}
