using Robotics.Contract.Environments;

namespace Robotics.SimBridge.Tests;

/// <summary>A step through a bridge equals the same step in process: every buffer, bit for bit.</summary>
internal static class StepAssert
{
    public static void Same(VectorStep expected, VectorStep actual)
    {
        Assert.Equal(expected.Observations, actual.Observations);
        Assert.Equal(expected.Rewards, actual.Rewards);
        Assert.Equal(expected.Terminated, actual.Terminated);
        Assert.Equal(expected.Truncated, actual.Truncated);
        EpisodeAssert.Same(expected.Episodes, actual.Episodes);
        Assert.Equal(expected.PhysicsResets, actual.PhysicsResets);
        for (int i = 0; i < expected.NumEnvs; i++)
        {
            if (expected.Terminated[i] || expected.Truncated[i])
            {
                Assert.Equal(expected.FinalObservationOf(i).ToArray(), actual.FinalObservationOf(i).ToArray());
            }
        }
    }
}
