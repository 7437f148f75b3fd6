using Robotics.SimBridge.Benchmarks;

namespace Robotics.SimBridge.Tests.Benchmarks;

/// <summary>What the benchmark reports, not how fast anything is: the figures themselves are machine-dependent.</summary>
[Collection(BridgeCollection.Name)]
public sealed class BridgeBenchmarkTests
{
    private static BridgeBenchmarkOptions Short(bool curve) => new()
    {
        Cases = [new BridgeBenchmarkCase("cartpole-balance", 4, 0.75)],
        Duration = TimeSpan.FromMilliseconds(200),
        Rounds = 2,
        WarmUp = TimeSpan.FromMilliseconds(50),
        Curve = curve,
    };

    [Fact]
    public void With_curve_each_case_is_also_stepped_through_a_bridge_with_keys_in_the_same_rounds()
    {
        var report = BridgeBenchmark.Run(Short(curve: true));

        var result = Assert.Single(report.Cases);
        var curve = Assert.IsType<CurveBenchmarkResult>(result.Curve);
        Assert.Equal("in-process thread, tcp loopback; plain and CURVE", report.Bridge);
        Assert.True(curve.EnvStepsPerSecond > 0);
        Assert.True(double.IsFinite(curve.RatioToPlain) && curve.RatioToPlain > 0);
        Assert.Equal(1e6 * 4 / curve.EnvStepsPerSecond, curve.BatchMicroseconds, precision: 6);
        Assert.True(curve.StatsRoundTripMicroseconds > 0 && curve.PlainStatsRoundTripMicroseconds > 0);
    }

    [Fact]
    public void Without_curve_no_bridge_with_keys_is_measured()
    {
        var report = BridgeBenchmark.Run(Short(curve: false));

        Assert.Null(Assert.Single(report.Cases).Curve);
        Assert.Equal("in-process thread, tcp loopback", report.Bridge);
    }

    [Fact]
    public void Curve_over_inproc_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => BridgeBenchmark.Run(Short(curve: true) with { InProcessTransport = true }));

        Assert.Contains("leave out the inproc:// transport", error.Message);
    }
}
