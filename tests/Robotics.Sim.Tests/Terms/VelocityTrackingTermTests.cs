using Robotics.Sim.Terms;

namespace Robotics.Sim.Tests.Terms;

public sealed class VelocityTrackingTermTests
{
    [Fact]
    public void Percentile_is_the_nearest_rank_of_the_sorted_values()
    {
        double[] values = Enumerable.Range(1, 20).Select(i => (double)(21 - i)).ToArray();

        Assert.Equal(19.0, VelocityTrackingTerm.Percentile(values, 0.95));
        Assert.Equal(20.0, VelocityTrackingTerm.Percentile(values, 1.0));
        Assert.Equal(10.0, VelocityTrackingTerm.Percentile(values, 0.5));
        Assert.Equal(7.0, VelocityTrackingTerm.Percentile([7.0], 0.95));
    }
}
