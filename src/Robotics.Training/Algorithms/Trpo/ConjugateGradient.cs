using Robotics.Training.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace Robotics.Training.Algorithms.Trpo;

/// <summary>
/// Conjugate gradient for A x = b with A symmetric positive definite, given only the product v -> A v
/// (Nocedal and Wright, algorithm 5.2). TRPO solves F x = g this way without ever forming F.
/// </summary>
public static class ConjugateGradient
{
    /// <summary>Returns x, the norm of the final residual b - A x, and the iterations run.</summary>
    public static (Tensor X, double ResidualNorm, int Iterations) Solve(Func<Tensor, Tensor> matrixVector, Tensor b, int iterations, double tolerance)
    {
        // No no_grad here: a Fisher-vector product differentiates inside matrixVector. b and its products are detached.
        var x = torch.zeros_like(b);
        var r = b.clone();
        var p = b.clone();
        double rr = r.dot(r).ToDoubleValue();
        int done = 0;
        while (done < iterations && rr >= tolerance)
        {
            using var scope = torch.NewDisposeScope();
            var ap = matrixVector(p);
            double alpha = rr / ap.dot(p).ToDoubleValue();
            using var alphaScalar = alpha.ToScalar();
            x.PlusInPlace(p.mul(alphaScalar));
            r.sub_(ap.mul(alphaScalar));
            double rrNew = r.dot(r).ToDoubleValue();
            using var beta = (rrNew / rr).ToScalar();
            p.mul_(beta).PlusInPlace(r);
            rr = rrNew;
            done++;
        }

        r.Dispose();
        p.Dispose();
        return (x, Math.Sqrt(rr), done);
    }
}
