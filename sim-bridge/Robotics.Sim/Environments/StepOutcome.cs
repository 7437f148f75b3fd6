namespace Robotics.Sim.Environments;

/// <summary>
/// What one control step of a <see cref="SimEnvironment"/> gave. <see cref="PhysicsReset"/> means the
/// physics went unstable: the episode is over (reported as truncated, reward 0), the observation is
/// the last valid one, and the environment must be reset before it is stepped again.
/// </summary>
public readonly record struct StepOutcome(float Reward, bool Terminated, bool Truncated, bool PhysicsReset)
{
    public bool Done => Terminated || Truncated;
}
