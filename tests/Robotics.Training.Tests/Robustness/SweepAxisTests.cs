using Robotics.Training.Robustness;

namespace Robotics.Training.Tests.Robustness;

public sealed class SweepAxisTests
{
    [Fact]
    public void Values_are_evenly_spaced_with_both_ends_included()
    {
        var axis = SweepAxis.Parse("friction=0.5:1.5:5");

        Assert.Equal("friction", axis.Key);
        Assert.Equal([0.5, 0.75, 1.0, 1.25, 1.5], axis.Values);
    }

    [Fact]
    public void The_default_sweep_takes_every_key_once_and_includes_the_nominal_value()
    {
        var axes = SweepAxis.DefaultSweep.Select(SweepAxis.Parse).ToList();

        Assert.Equal(SweepAxis.Keys, axes.Select(a => a.Key));
        foreach (var axis in axes)
            Assert.Contains(axis.Key is "mass" or "friction" or "gain" ? 1.0 : 0.0, axis.Values);
    }

    [Fact]
    public void Latency_is_whole_control_periods()
    {
        Assert.Equal([0.0, 2.0, 3.0], SweepAxis.Parse("latency=0:3:3").Values);
    }

    [Theory]
    [InlineData("weight=1:2:3", "unknown sweep key 'weight'")]
    [InlineData("mass=1:2", "expected mass=LOW:HIGH:N")]
    [InlineData("mass", "expected mass=LOW:HIGH:N")]
    [InlineData("mass=2:1:3", "LOW <= HIGH")]
    [InlineData("mass=0:1:3", "must be positive")]
    [InlineData("gain=1:2:0", "count N from 1 to 50")]
    [InlineData("push=-5:5:3", "cannot be negative")]
    public void Bad_axes_say_what_was_wrong(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => SweepAxis.Parse(text));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Each_key_sets_its_randomization_entry_to_a_fixed_value()
    {
        Assert.Equal("body_mass: {scale: [1.2, 1.2]}", SweepAxis.Parse("mass=1.2:1.2:1").YamlFor(1.2));
        Assert.Equal("action_latency_steps: 2", SweepAxis.Parse("latency=2:2:1").YamlFor(2));
        Assert.Equal("", SweepAxis.Parse("push=0:10:2").YamlFor(0));
        Assert.Equal("push: {force: [10, 10], interval: [2, 4], duration: 0.1}", SweepAxis.Parse("push=0:10:2").YamlFor(10));
    }
}
