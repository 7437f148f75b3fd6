using Robotics.Runtime.Telemetry;

namespace Robotics.Runtime.Tests.Telemetry;

public sealed class LatencyHistogramTests
{
    [Fact]
    public void Percentiles_of_one_to_a_hundred_microseconds()
    {
        var histogram = new LatencyHistogram(1000);
        for (int i = 1; i <= 100; i++) histogram.Record(i - 0.5);

        Assert.Equal(50, histogram.Percentile(0.50));
        Assert.Equal(99, histogram.Percentile(0.99));
        Assert.Equal(99.5, histogram.MaxMicros);
        Assert.Equal(100, histogram.Count);
    }

    [Fact]
    public void Samples_beyond_the_range_keep_an_exact_maximum()
    {
        var histogram = new LatencyHistogram(100);
        histogram.Record(5);
        histogram.Record(12_345);

        Assert.Equal(12_345, histogram.MaxMicros);
        Assert.Equal(12_345, histogram.Percentile(1.0));
    }
}
