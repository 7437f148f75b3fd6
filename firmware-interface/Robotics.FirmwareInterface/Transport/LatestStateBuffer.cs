using Robotics.Contract;

namespace Robotics.FirmwareInterface.Transport;

/// <summary>
/// The newest state from a producer thread, readable from a consumer without allocation. The producer decodes
/// into its own scratch copy outside the lock, so the lock is held only for two array copies.
/// </summary>
public sealed class LatestStateBuffer(int joints)
{
    private readonly Lock gate = new();
    private readonly RobotState latest = new(joints);
    private bool hasState;

    public int JointCount => latest.JointCount;

    public void Publish(RobotState state)
    {
        lock (gate)
        {
            state.CopyTo(latest);
            hasState = true;
        }
    }

    public bool TryCopyTo(RobotState destination)
    {
        lock (gate)
        {
            if (!hasState)
                return false;
            latest.CopyTo(destination);
            return true;
        }
    }
}
