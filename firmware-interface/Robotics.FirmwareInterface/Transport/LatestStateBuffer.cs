using Robotics.Contract;

namespace Robotics.FirmwareInterface.Transport;

/// <summary>
/// The newest state from a producer thread, readable from a consumer without allocation. The producer decodes
/// into its own scratch copy outside the lock, so the lock is held only for two array copies.
/// </summary>
public sealed class LatestStateBuffer(int joints)
{
    private readonly Lock _gate = new();
    private readonly RobotState _latest = new(joints);
    private bool _hasState;

    public int JointCount => _latest.JointCount;

    public void Publish(RobotState state)
    {
        lock (_gate)
        {
            state.CopyTo(_latest);
            _hasState = true;
        }
    }

    public bool TryCopyTo(RobotState destination)
    {
        lock (_gate)
        {
            if (!_hasState)
                return false;
            _latest.CopyTo(destination);
            return true;
        }
    }
}
