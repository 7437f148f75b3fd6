using Robotics.Training.Algorithms.Trpo;
using Robotics.Training.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace Robotics.Training.Tests.Algorithms.Trpo;

public sealed class ConjugateGradientTests
{
    [Fact]
    public void Solves_a_small_spd_system_like_a_direct_solve()
    {
        using var scope = torch.NewDisposeScope();
        var generator = new Generator(17);
        var m = torch.randn(6, 6, dtype: float64, generator: generator);
        var a = m.matmul(m.t()).Plus(torch.eye(6, dtype: float64).mul(FixedScalars.Half));
        var b = torch.randn(6, dtype: float64, generator: generator);

        var (x, residual, iterations) = ConjugateGradient.Solve(v => a.matmul(v), b, iterations: 50, tolerance: 1e-20);
        var direct = torch.linalg.solve(a, b);

        Assert.True(torch.allclose(x, direct, rtol: 1e-8, atol: 1e-8), $"cg {Format(x)} against direct {Format(direct)}");
        Assert.True(residual < 1e-8, $"residual {residual}");
        Assert.InRange(iterations, 1, 50);
    }

    [Fact]
    public void Stops_at_the_iteration_limit_and_reports_the_residual_left()
    {
        using var scope = torch.NewDisposeScope();
        var a = torch.diag(torch.tensor(new double[] { 1, 2, 3, 4, 5 }));
        var b = torch.ones(5, dtype: float64);

        var (x, residual, iterations) = ConjugateGradient.Solve(v => a.matmul(v), b, iterations: 2, tolerance: 1e-20);

        Assert.Equal(2, iterations);
        double actualResidual = (b - a.matmul(x)).norm().ToDoubleValue();
        Assert.Equal(actualResidual, residual, 6);
        Assert.True(residual > 1e-3, "two iterations cannot solve a system with five distinct eigenvalues");
    }

    private static string Format(Tensor t) => string.Join(", ", t.data<double>().ToArray().Select(v => v.ToString("F6")));
}
