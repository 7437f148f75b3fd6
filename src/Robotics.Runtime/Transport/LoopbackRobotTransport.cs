using System.Diagnostics;
using Robotics.Contract;

namespace Robotics.Runtime.Transport;

/// <summary>
/// A stand-in robot inside this process, for benchmarks and dry runs of the control loop: it answers at
/// once, and its joints follow the commands through a first-order model (positions approach position
/// targets, velocities follow velocity targets, efforts accelerate a unit inertia with damping). Not physics;
/// use the simulated robot for sim-to-sim runs. Allocation-free after construction.
/// </summary>
public sealed class LoopbackRobotTransport : IRobotTransport
{
    private readonly RobotContract contract;
    private readonly RobotState state;
    private readonly int[] jointOf;
    private readonly string[] modes;
    private readonly double dt;

    public LoopbackRobotTransport(RobotContract contract)
    {
        this.contract = contract;
        state = new RobotState(contract.Joints.Count) { HasImu = contract.HasImu };
        jointOf = contract.Actuators.Select(a => contract.Joints.ToList().FindIndex(j => j.Name == a.Joint)).ToArray();
        modes = contract.Actuators.Select(a => a.Mode).ToArray();
        dt = 1.0 / contract.ControlRateHz;
    }

    public LinkStatistics Statistics { get; } = new();

    public RobotHandshake Open(TimeSpan timeout) =>
        new(1, contract.Robot, contract.ShortHash, contract.Joints.Count, contract.Actuators.Count,
            contract.ControlRateHz, contract.ControlRateHz);

    public bool TryReadLatestState(RobotState destination)
    {
        state.Sequence++;
        state.ReceivedTicks = Stopwatch.GetTimestamp();
        state.DeviceTimeMicros = (ulong)(state.ReceivedTicks * 1_000_000 / Stopwatch.Frequency);
        Statistics.FramesReceived++;
        state.CopyTo(destination);
        return true;
    }

    public void SendCommand(uint stateSequence, ReadOnlySpan<float> targets)
    {
        Statistics.FramesSent++;
        for (int i = 0; i < targets.Length; i++)
        {
            var j = jointOf[i];
            if (j < 0) continue;
            var q = state.JointPositions[j];
            var qd = state.JointVelocities[j];
            switch (modes[i])
            {
                case "position":
                    qd = (targets[i] - q) * 20.0; // reaches a new target in about 50 ms
                    break;
                case "velocity":
                    qd = targets[i];
                    break;
                default:
                    qd += (targets[i] - 2.0 * qd) * dt;
                    break;
            }

            var joint = contract.Joints[j];
            state.JointVelocities[j] = Math.Clamp(qd, -joint.VelocityMax, joint.VelocityMax);
            state.JointPositions[j] = Math.Clamp(q + state.JointVelocities[j] * dt, joint.PositionMin, joint.PositionMax);
            state.JointEfforts[j] = modes[i] == "effort" ? targets[i] : 0;
        }
    }

    public void SendEmergencyStop()
    {
        Array.Clear(state.JointVelocities);
        Statistics.LastFault = "emergency stop";
    }

    public void Dispose()
    {
    }
}
