using Robotics.Training.Tests.A2c;
using Xunit.Abstractions;

namespace Robotics.Training.Tests.Trpo;

/// <summary>A short run from the shipped config: the deterministic return must reach 250 (a quarter of the maximum, 1000) and triple the untrained policy's.</summary>
public sealed class TrpoCartpoleSmokeTests(ITestOutputHelper output)
{
    [Fact]
    public void Trpo_improves_the_cartpole_balance_return_from_the_shipped_config()
    {
        var (firstReturn, evaluations, result, _) = PolicyGradientSmokeRun.Train("cartpole-balance-trpo.yaml", totalSteps: 40_000, output);

        output.WriteLine($"first training return {firstReturn:F1}; evaluations: {string.Join(", ", evaluations.Select(e => e.ToString("F1")))}");
        Assert.True(evaluations.Count >= 4, $"only {evaluations.Count} evaluations");
        Assert.True(evaluations.Max() >= 250, $"best mean deterministic return {evaluations.Max():F1} after {result.EnvSteps} steps");
        Assert.True(evaluations.Max() >= 3 * firstReturn, $"best {evaluations.Max():F1} against {firstReturn:F1} of the untrained policy");
    }
}
