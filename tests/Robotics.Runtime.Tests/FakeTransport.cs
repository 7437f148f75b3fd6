using Robotics.Contract;
using Robotics.Runtime.Transport;

namespace Robotics.Runtime.Tests;

/// <summary>
/// A robot that answers instantly: each read returns its current state stamped with the clock's time
/// (unless it is told to go silent), and each command is kept. Allocation-free after construction.
/// </summary>
internal sealed class FakeTransport(RobotContract contract, FakeClock clock) : IRobotTransport
{
    public RobotState State { get; } = new(contract.Joints.Count);
    public float[] LastCommand { get; } = new float[contract.Actuators.Count];
    public int CommandsSent { get; private set; }
    public int EmergencyStops { get; private set; }

    /// <summary>While true the robot sends no new state (its last one ages).</summary>
    public bool Silent { get; set; }

    /// <summary>Whether any state has been sent yet; false keeps the loop waiting.</summary>
    public bool Started { get; set; } = true;

    /// <summary>Each command sent, when recording.</summary>
    public List<float[]>? History { get; set; }

    public LinkStatistics Statistics { get; } = new();

    public RobotHandshake Open(TimeSpan timeout) =>
        new(1, contract.Robot, contract.ShortHash, contract.Joints.Count, contract.Actuators.Count, contract.ControlRateHz, contract.ControlRateHz);

    public bool TryReadLatestState(RobotState destination)
    {
        if (!Started) return false;
        if (!Silent)
        {
            State.Sequence++;
            State.ReceivedTicks = clock.Now;
            Statistics.FramesReceived++;
        }

        State.CopyTo(destination);
        return true;
    }

    public void SendCommand(uint stateSequence, ReadOnlySpan<float> targets)
    {
        targets.CopyTo(LastCommand);
        CommandsSent++;
        Statistics.FramesSent++;
        History?.Add(targets.ToArray());
    }

    public void SendEmergencyStop() => EmergencyStops++;

    public void Dispose()
    {
    }
}
