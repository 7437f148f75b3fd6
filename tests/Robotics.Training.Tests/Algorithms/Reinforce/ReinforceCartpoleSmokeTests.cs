using Robotics.Training.Tests.Algorithms.OnPolicy;
using Xunit.Abstractions;

namespace Robotics.Training.Tests.Algorithms.Reinforce;

/// <summary>A short run from the shipped config: the deterministic return must reach 250 (a quarter of the maximum, 1000) and triple the untrained policy's.</summary>
public sealed class ReinforceCartpoleSmokeTests(ITestOutputHelper output)
{
    [Fact]
    public void Reinforce_improves_the_cartpole_balance_return_from_the_shipped_config()
    {
        PolicyGradientSmokeRun.AssertImproves("cartpole-balance-reinforce.yaml", totalSteps: 100_000, output);
    }
}
