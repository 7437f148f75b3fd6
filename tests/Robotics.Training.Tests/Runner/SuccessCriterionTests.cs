using Robotics.Contract.Environments;
using Robotics.Training.Runner;

namespace Robotics.Training.Tests.Runner;

public sealed class SuccessCriterionTests
{
    private static readonly EpisodeRecord[] Episodes =
    [
        Episode(0.01), Episode(0.019), Episode(0.02), Episode(0.5),
    ];

    [Fact]
    public void Below_counts_the_episodes_strictly_under_the_bound()
    {
        var criterion = SuccessCriterion.Parse("final/distance<0.02");

        Assert.Equal(new SuccessCriterion("final/distance", Below: true, 0.02), criterion);
        Assert.Equal(0.5, criterion.Share(Episodes));
        Assert.Equal("final/distance<0.02", criterion.ToString());
    }

    [Fact]
    public void Above_counts_the_episodes_strictly_over_the_bound()
    {
        Assert.Equal(0.25, SuccessCriterion.Parse(" final/distance > 0.02 ").Share(Episodes));
    }

    [Theory]
    [InlineData("final/distance=0.02")]
    [InlineData("final/distance<")]
    [InlineData("<0.02")]
    [InlineData("final/distance<two")]
    public void Malformed_criteria_say_how_to_write_one(string text)
    {
        var error = Assert.Throws<FormatException>(() => SuccessCriterion.Parse(text));

        Assert.Contains("STATISTIC<VALUE", error.Message);
    }

    [Fact]
    public void An_unknown_statistic_names_the_ones_the_episodes_have()
    {
        var error = Assert.Throws<InvalidDataException>(() => SuccessCriterion.Parse("final/dist<0.02").Share(Episodes));

        Assert.Contains("'final/dist'", error.Message);
        Assert.Contains("final/distance", error.Message);
    }

    private static EpisodeRecord Episode(double distance) =>
        new(0, -distance, 100, false, true) { Stats = new Dictionary<string, double> { ["final/distance"] = distance } };
}
