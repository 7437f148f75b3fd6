using Robotics.Runtime.Transport;
using Robotics.Contract;
using Robotics.FirmwareInterface.Transport;

namespace Robotics.Cli.Quickstart;

/// <summary>
/// Passes a link through unchanged and keeps the largest |position| of every joint among the states the
/// runtime read, and how many commands went out: what a deployment report needs, without touching the loop.
/// </summary>
public sealed class StateRecordingTransport(IRobotTransport inner, int joints) : IRobotTransport
{
    private readonly double[] _maxAbsPosition = new double[joints];

    /// <summary>Largest |position| seen per joint, in contract order and units.</summary>
    public IReadOnlyList<double> MaxAbsPosition => _maxAbsPosition;

    public long StatesRead { get; private set; }

    public long CommandsSent { get; private set; }

    public LinkStatistics Statistics => inner.Statistics;

    public RobotHandshake Open(TimeSpan timeout) => inner.Open(timeout);

    public bool TryReadLatestState(RobotState destination)
    {
        if (!inner.TryReadLatestState(destination)) return false;
        StatesRead++;
        for (int i = 0; i < _maxAbsPosition.Length && i < destination.JointCount; i++)
            _maxAbsPosition[i] = Math.Max(_maxAbsPosition[i], Math.Abs(destination.JointPositions[i]));
        return true;
    }

    public void SendCommand(uint stateSequence, ReadOnlySpan<float> targets)
    {
        CommandsSent++;
        inner.SendCommand(stateSequence, targets);
    }

    public void SendEmergencyStop() => inner.SendEmergencyStop();

    public void Dispose() => inner.Dispose();
}
