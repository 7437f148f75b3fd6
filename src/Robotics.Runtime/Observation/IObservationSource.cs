using Robotics.Contract;

namespace Robotics.Runtime.Observation;

/// <summary>
/// Builds the policy's raw observation from the robot's state, in the layout of the policy contract.
/// Called inside the control tick: implementations must not allocate.
/// </summary>
public interface IObservationSource
{
    int Size { get; }

    /// <summary>The operator's command in the last observation built, for telemetry; empty when the policy reads none.</summary>
    ReadOnlySpan<double> Command => default;

    /// <summary>Driving starts now: a command that changes over time counts from here.</summary>
    void BeginDriving()
    {
    }

    /// <param name="state">The latest robot state.</param>
    /// <param name="previousAction">The command sent at the previous tick, in robot units (zeros before the first).</param>
    /// <param name="observation">Where to write the raw (un-normalized) observation.</param>
    void Build(RobotState state, ReadOnlySpan<float> previousAction, Span<float> observation);
}
