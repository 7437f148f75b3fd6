using Robotics.Training.Algorithms.Trpo;
using Robotics.Training.Configuration;
using Robotics.Training.Policies;
using Robotics.Training.Tensors;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Robotics.Training.Tests.Algorithms.Trpo;

public sealed class FisherVectorProductTests
{
    private const int Obs = 3, Act = 2, Batch = 4;

    [Fact]
    public void Fisher_vector_product_of_a_linear_gaussian_policy_matches_the_explicit_fisher_matrix()
    {
        torch.manual_seed(3);
        using var scope = torch.NewDisposeScope();
        using var policy = new GaussianActorCritic(Obs, Act, new PolicyOptions { HiddenSizes = [] });
        using (torch.no_grad()) policy.LogStd.copy_(torch.tensor(new float[] { -0.3f, 0.4f }).view(1, Act));
        var parameters = ActorParameters(policy);
        // TorchSharp registers a module's own parameters before its submodules': [log sigma, W, b].
        Assert.Equal(new long[] { Act, Act * Obs, Act }, parameters.Select(p => p.numel()).ToArray());

        var observations = torch.randn(Batch, Obs);
        var v = torch.randn(Act * Obs + 2 * Act);
        using var fisher = new FisherVectorProduct(policy, parameters, observations, damping: 0.0);
        var product = fisher.Apply(v);

        var explicitFisher = ExplicitFisher(observations, policy.LogStd.detach());
        var expected = explicitFisher.matmul(v);
        Assert.True(torch.allclose(product, expected, rtol: 1e-4, atol: 1e-5),
            $"F v by double backpropagation {Format(product)} against the explicit matrix {Format(expected)}");
    }

    [Fact]
    public void Damping_adds_a_multiple_of_the_vector()
    {
        torch.manual_seed(4);
        using var scope = torch.NewDisposeScope();
        using var policy = new GaussianActorCritic(Obs, Act, new PolicyOptions { HiddenSizes = [8] });
        var parameters = ActorParameters(policy);
        var observations = torch.randn(Batch, Obs);
        var v = torch.randn(parameters.Sum(p => p.numel()));

        using var plain = new FisherVectorProduct(policy, parameters, observations, damping: 0.0);
        using var damped = new FisherVectorProduct(policy, parameters, observations, damping: 0.1);

        using var damping = 0.1.ToScalar();
        Assert.True(torch.allclose(damped.Apply(v), plain.Apply(v).Plus(v.mul(damping)), rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void Gaussian_kl_is_zero_for_equal_distributions_and_matches_the_closed_form()
    {
        using var scope = torch.NewDisposeScope();
        var zero = torch.zeros(1, 1);
        Assert.Equal(0.0, GaussianKl.Mean(zero, zero, zero, zero).ToDoubleValue(), 6);
        // KL(N(0, 1) || N(1, 2^2)) = log 2 + (1 + 1) / (2 * 4) - 1/2.
        using var log2 = Math.Log(2).ToScalar();
        var kl = GaussianKl.Mean(zero, zero, torch.ones(1, 1), torch.full(1, 1, log2)).ToDoubleValue();
        Assert.Equal(Math.Log(2) + 0.25 - 0.5, kl, 5);
    }

    /// <summary>
    /// The average Fisher matrix of mu = W s + b, log sigma free, in the order [log sigma, W (row-major), b]:
    /// the mean block is (1/B) sum_i J_i^T diag(1/sigma^2) J_i with J_i = d mu / d(W, b) at s_i, the log-sigma block
    /// is 2 I (the Fisher information of a Gaussian's log standard deviation), and the cross terms vanish.
    /// </summary>
    private static Tensor ExplicitFisher(Tensor observations, Tensor logStd)
    {
        int meanParameters = Act * Obs + Act;
        int size = Act + meanParameters;
        var f = new double[size, size];
        var s = observations.data<float>().ToArray();
        var precision = logStd.reshape(-1).data<float>().ToArray().Select(l => Math.Exp(-2 * l)).ToArray();
        for (int i = 0; i < Batch; i++)
        {
            for (int j = 0; j < Act; j++)
            {
                // Gradient of mu_j with respect to (W, b): s_i in row j of W, 1 at b_j.
                var jacobianRow = new double[meanParameters];
                for (int k = 0; k < Obs; k++) jacobianRow[j * Obs + k] = s[i * Obs + k];
                jacobianRow[Act * Obs + j] = 1;
                for (int p = 0; p < meanParameters; p++)
                for (int q = 0; q < meanParameters; q++)
                    f[Act + p, Act + q] += jacobianRow[p] * precision[j] * jacobianRow[q] / Batch;
            }
        }

        for (int j = 0; j < Act; j++) f[j, j] = 2;
        var flat = new float[size * size];
        for (int p = 0; p < size; p++)
        for (int q = 0; q < size; q++)
            flat[p * size + q] = (float)f[p, q];
        return torch.tensor(flat, size, size);
    }

    private static List<Parameter> ActorParameters(GaussianActorCritic policy) =>
        policy.named_parameters().Where(p => !p.name.StartsWith("critic", StringComparison.Ordinal)).Select(p => p.parameter).ToList();

    private static string Format(Tensor t) => string.Join(", ", t.data<float>().ToArray().Select(v => v.ToString("F4")));
}
