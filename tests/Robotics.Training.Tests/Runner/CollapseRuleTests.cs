using Robotics.Training.Runner;

namespace Robotics.Training.Tests.Runner;

public sealed class CollapseRuleTests
{
    [Theory]
    // best, return before training, fraction kept -> threshold
    [InlineData(1000, 20, 0.5, 510)]      // cartpole: half of the 980 gained
    [InlineData(1.0, -20, 0.5, -9.5)]     // reacher: returns end near 0 from far below
    [InlineData(-5, -20, 0.5, -12.5)]     // negative all the way
    [InlineData(3000, 0, 0.8, 2400)]      // an untrained score of 0 is "a fraction of the best"
    public void Threshold_keeps_a_fraction_of_the_gain_over_the_untrained_policy(double best, double initial, double fraction, double expected)
    {
        Assert.Equal(expected, CollapseRule.Threshold(best, initial, fraction), 9);
    }

    [Theory]
    [InlineData(50, 50)]
    [InlineData(-3, 1)]
    public void Without_a_gain_nothing_counts_as_a_collapse(double best, double initial)
    {
        Assert.Equal(double.NegativeInfinity, CollapseRule.Threshold(best, initial, 0.5));
    }

    [Theory]
    [InlineData(1000, 0.5, 500)]
    [InlineData(-10, 0.5, -15)]
    public void Without_an_initial_evaluation_the_drop_is_measured_against_the_best_magnitude(double best, double fraction, double expected)
    {
        Assert.Equal(expected, CollapseRule.Threshold(best, double.NaN, fraction), 9);
    }
}
