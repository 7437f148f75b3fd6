using Robotics.Training.Algorithms.Trpo;

namespace Robotics.Training.Tests.Algorithms.Trpo;

public sealed class TrpoLineSearchTests
{
    [Fact]
    public void A_full_step_that_breaks_the_kl_bound_is_rejected_and_a_shorter_one_taken()
    {
        // The surrogate improves along the whole line, but KL = 0.04 f^2 exceeds 0.01 until f = 0.5.
        var tried = new List<double>();
        var result = TrpoLineSearch.Run(f =>
        {
            tried.Add(f);
            return (1.0 + f, 0.04 * f * f);
        }, oldSurrogate: 1.0, maxKl: 0.01, maxSteps: 10, shrink: 0.5);

        Assert.Equal(new[] { 1.0, 0.5 }, tried);
        Assert.True(result.Accepted);
        Assert.Equal(0.5, result.Fraction);
        Assert.Equal(2, result.Steps);
        Assert.Equal(0.01, result.Kl, 12);
        Assert.Equal(0.5, result.Improvement, 12);
    }

    [Fact]
    public void A_step_is_rejected_when_every_fraction_breaks_the_kl_bound()
    {
        var result = TrpoLineSearch.Run(f => (2.0, 0.5), oldSurrogate: 1.0, maxKl: 0.01, maxSteps: 4, shrink: 0.5);
        Assert.False(result.Accepted);
        Assert.Equal(0.0, result.Fraction);
        Assert.Equal(4, result.Steps);
    }

    [Fact]
    public void A_step_within_the_bound_that_does_not_improve_the_surrogate_is_rejected()
    {
        var result = TrpoLineSearch.Run(f => (1.0 - f, 0.001), oldSurrogate: 1.0, maxKl: 0.01, maxSteps: 5, shrink: 0.8);
        Assert.False(result.Accepted);
        Assert.Equal(5, result.Steps);
    }

    [Fact]
    public void A_non_finite_kl_is_never_accepted()
    {
        var result = TrpoLineSearch.Run(f => (2.0, f == 1.0 ? double.NaN : 0.001), oldSurrogate: 1.0, maxKl: 0.01, maxSteps: 3, shrink: 0.5);
        Assert.True(result.Accepted);
        Assert.Equal(0.5, result.Fraction);
    }
}
