using Robotics.Contract;
using Robotics.Runtime.Observation;

namespace Robotics.Runtime.Tests;

/// <summary>The test robot's observation: joint positions, joint velocities, previous action.</summary>
internal sealed class JointStateObservations(int joints) : IObservationSource
{
    public int Size => 3 * joints;

    public void Build(RobotState state, ReadOnlySpan<float> previousAction, Span<float> observation)
    {
        for (int j = 0; j < joints; j++)
        {
            observation[j] = (float)state.JointPositions[j];
            observation[joints + j] = (float)state.JointVelocities[j];
            observation[2 * joints + j] = previousAction[j];
        }
    }
}
