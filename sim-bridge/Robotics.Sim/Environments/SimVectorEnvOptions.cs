namespace Robotics.Sim.Environments;

/// <summary>Options of a <see cref="SimVectorEnv"/>.</summary>
public sealed record SimVectorEnvOptions
{
    /// <summary>Threads that step environments, the caller included; defaults to the processor count.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Apply the task's randomization; when false, environments start with all randomization off.</summary>
    public bool Randomize { get; init; } = true;
}
