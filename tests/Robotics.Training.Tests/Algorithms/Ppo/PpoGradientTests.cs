using Robotics.Contract.Environments;
using Robotics.Training.Algorithms.Ppo;
using Robotics.Training.Configuration;
using Robotics.Training.Monitoring;
using Robotics.Training.Optimization;
using Robotics.Training.Policies;
using Robotics.Training.Tests.Fakes;
using Robotics.Training.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace Robotics.Training.Tests.Algorithms.Ppo;

/// <summary>The hand-written PPO gradient against autograd over the same loss.</summary>
public sealed class PpoGradientTests
{
    private const int Batch = 64;

    [Theory]
    [InlineData("tanh", false, 0.0, new[] { 64, 64 }, 1)]
    [InlineData("tanh", true, 0.0, new[] { 64, 64 }, 1)]
    [InlineData("tanh", true, 0.01, new[] { 32 }, 3)]
    [InlineData("relu", false, 0.01, new[] { 16, 32, 8 }, 2)]
    [InlineData("relu", true, 0.0, new[] { 64, 64 }, 6)]
    [InlineData("elu", false, 0.0, new[] { 64, 64 }, 1)]
    [InlineData("elu", true, 0.05, new[] { 24, 24 }, 4)]
    public void Gradient_figures_and_log_ratios_match_autograd(string activation, bool clipValueLoss, double entropyCoef, int[] hidden, int actionSize)
    {
        var options = new PpoOptions { ClipValueLoss = clipValueLoss, EntropyCoef = entropyCoef, ValueCoef = 0.5, ClipCoef = 0.2 };
        torch.manual_seed(3);
        using var policy = new GaussianActorCritic(5, actionSize, new PolicyOptions { HiddenSizes = [.. hidden], Activation = activation });
        using (torch.no_grad())
            using (var spread = 0.3.ToScalar())
                foreach (var p in policy.parameters()) p.PlusInPlace(torch.randn_like(p).mul_(spread));
        var data = MinibatchData.Random(seed: 11, policy);
        using var optimizer = new FlatAdam(policy.parameters().ToList(), 3e-4, eps: 1e-5);

        var (expectedGradients, expectedFigures, expectedLogRatio) = Autograd(policy, optimizer, options, data);
        optimizer.ZeroGrad();
        using var gradient = new PpoGradient(policy, options);
        using var logRatio = torch.empty(Batch);
        var figures = gradient.Accumulate(data.Obs, data.Actions, data.OldLogProbs, data.Advantages, data.OldValues, data.Returns, logRatio);

        // Every branch of the loss is taken by some samples.
        var ratio = expectedLogRatio.exp();
        Assert.InRange(Fraction(ratio, above: 1.2), 0.05, 0.5);
        Assert.InRange(Fraction(ratio, below: 0.8), 0.05, 0.5);
        using (torch.no_grad())
        {
            var valueStep = policy.Value(data.Obs) - data.OldValues;
            Assert.InRange(Fraction(valueStep.abs(), above: 0.2), 0.05, 0.95);
        }

        AssertClose(expectedLogRatio, logRatio, "log-ratio");
        for (int i = 0; i < 3; i++) Assert.Equal(expectedFigures[i], figures[i], 1e-4 * (1 + Math.Abs(expectedFigures[i])));
        var names = policy.named_parameters().Select(p => p.name).ToList();
        var actual = policy.parameters().Select(p => p.grad!).ToList();
        for (int i = 0; i < actual.Count; i++) AssertClose(expectedGradients[i], actual[i], names[i]);
    }

    [Fact]
    public void The_critic_on_a_second_thread_gives_bitwise_the_numbers_of_one_thread()
    {
        // As training runs (torch_threads: 1): each of libtorch's kernels runs on its calling thread. With more
        // intra-op threads a kernel's split of the work, and so its last bits, could depend on what else runs.
        torch.set_num_threads(1);
        var options = new PpoOptions { ClipValueLoss = true, EntropyCoef = 0.01 };
        torch.manual_seed(5);
        using var policy = new GaussianActorCritic(7, 3, new PolicyOptions { HiddenSizes = [64, 32], Activation = "elu" });
        var data = MinibatchData.Random(seed: 6, policy);
        using var optimizer = new FlatAdam(policy.parameters().ToList(), 3e-4, eps: 1e-5);

        (float[] Figures, float[] LogRatio, List<float[]> Gradients) Run(bool secondThread)
        {
            optimizer.ZeroGrad();
            using var gradient = new PpoGradient(policy, options) { CriticOnSecondThread = secondThread };
            using var logRatio = torch.empty(Batch);
            var figures = gradient.Accumulate(data.Obs, data.Actions, data.OldLogProbs, data.Advantages, data.OldValues, data.Returns, logRatio);
            return (figures, logRatio.data<float>().ToArray(), policy.parameters().Select(p => p.grad!.data<float>().ToArray()).ToList());
        }

        var one = Run(secondThread: false);
        for (int repeat = 0; repeat < 20; repeat++)
        {
            var two = Run(secondThread: true);
            Assert.Equal(one.Figures, two.Figures);
            Assert.Equal(one.LogRatio, two.LogRatio);
            for (int i = 0; i < one.Gradients.Count; i++) Assert.Equal(one.Gradients[i], two.Gradients[i]);
        }

        Assert.True(one.Gradients.Sum(g => g.Sum(Math.Abs)) > 0);
    }

    [Fact]
    public void Gradients_are_added_to_what_the_parameters_hold()
    {
        var options = new PpoOptions();
        torch.manual_seed(1);
        using var policy = new GaussianActorCritic(3, 2, new PolicyOptions { HiddenSizes = [8, 8] });
        var data = MinibatchData.Random(seed: 4, policy);
        using var optimizer = new FlatAdam(policy.parameters().ToList(), 3e-4, eps: 1e-5);
        using var gradient = new PpoGradient(policy, options);
        using var logRatio = torch.empty(Batch);

        optimizer.ZeroGrad();
        gradient.Accumulate(data.Obs, data.Actions, data.OldLogProbs, data.Advantages, data.OldValues, data.Returns, logRatio);
        var once = policy.parameters().Select(p => p.grad!.clone()).ToList();
        gradient.Accumulate(data.Obs, data.Actions, data.OldLogProbs, data.Advantages, data.OldValues, data.Returns, logRatio);

        var twice = policy.parameters().Select(p => p.grad!).ToList();
        for (int i = 0; i < once.Count; i++) AssertClose(once[i].mul(FixedScalars.Two), twice[i], $"parameter {i}");
        Assert.True(once.Sum(g => g.abs().sum().item<float>()) > 0);
    }

    [Theory]
    [InlineData("tanh")]
    [InlineData("relu")]
    [InlineData("elu")]
    public void Tapes_compute_what_the_policy_networks_compute(string activation)
    {
        torch.manual_seed(2);
        using var policy = new GaussianActorCritic(6, 3, new PolicyOptions { HiddenSizes = [32, 16], Activation = activation });
        using var actor = policy.ActorTape();
        using var critic = policy.CriticTape();
        using var three = 3.ToScalar();
        using var obs = torch.randn(40, 6).mul(three);

        using var noGrad = torch.no_grad();
        AssertClose(policy.Mean(obs), actor.Forward(obs), "mean");
        AssertClose(policy.Value(obs), critic.Forward(obs).squeeze(1), "value");
    }

    [Fact]
    public void One_update_moves_the_parameters_alike_with_either_gradient()
    {
        var analytic = UpdateOnce("analytic", out var analyticMetrics);
        var autograd = UpdateOnce("autograd", out var autogradMetrics);

        for (int i = 0; i < analytic.Count; i++)
        {
            Assert.Equal(autograd[i].Length, analytic[i].Length);
            double largest = autograd[i].Max(Math.Abs);
            for (int j = 0; j < analytic[i].Length; j++) Assert.Equal(autograd[i][j], analytic[i][j], 2e-4 * (1 + largest));
        }

        foreach (var key in new[] { "losses/policy_loss", "losses/value_loss", "losses/entropy", "losses/approx_kl", "losses/grad_norm" })
            Assert.Equal(autogradMetrics[key], analyticMetrics[key], 1e-3 * (1 + Math.Abs(autogradMetrics[key])));
        Assert.Equal(autogradMetrics["losses/clipfrac"], analyticMetrics["losses/clipfrac"], 0.02);
    }

    /// <summary>One collect and one learn of PPO on the point mass (4 epochs of 4 minibatches); the parameters after.</summary>
    private static List<float[]> UpdateOnce(string gradients, out MetricRecord metrics)
    {
        var config = new TrainingConfig
        {
            Task = "point-mass",
            NumEnvs = 4,
            Policy = new PolicyOptions { HiddenSizes = [16, 16] },
        }.WithOptions(new PpoOptions { RolloutSteps = 32, Minibatches = 4, Epochs = 4, LearningRate = 3e-3, Gradients = gradients });
        torch.manual_seed(7);
        using var env = new PointMassVectorEnv(4);
        using var ppo = new PpoAlgorithm(config, env.Spec, torch.CPU);
        ppo.ResetEnvironments(env, 1);
        ppo.Collect(env, new List<EpisodeRecord>(), new MetricRecord());
        metrics = new MetricRecord();
        Assert.True(ppo.Learn(0, metrics, out string? nonFinite), nonFinite);
        using var noGrad = torch.no_grad();
        return ppo.Policy.parameters().Select(p => p.detach().clone().contiguous().view(-1).data<float>().ToArray()).ToList();
    }

    private static (List<Tensor> Gradients, float[] Figures, Tensor LogRatio) Autograd(
        GaussianActorCritic policy, FlatAdam optimizer, PpoOptions options, MinibatchData data)
    {
        var (logProb, entropy, value) = policy.Evaluate(data.Obs, data.Actions);
        var logRatio = logProb - data.OldLogProbs;
        var pgLoss = PpoLosses.PolicyLoss(data.Advantages, logRatio.exp(), options.ClipCoef);
        var valueLoss = PpoLosses.ValueLoss(value, data.OldValues, data.Returns, options.ClipCoef, options.ClipValueLoss);
        var entropyMean = entropy.mean();
        using var entropyCoef = options.EntropyCoef.ToScalar();
        using var valueCoef = options.ValueCoef.ToScalar();
        var loss = (pgLoss - entropyMean.mul(entropyCoef)).Plus(valueLoss.mul(valueCoef));
        optimizer.ZeroGrad();
        loss.backward();
        var gradients = policy.parameters().Select(p => p.grad!.clone()).ToList();
        var figures = new[] { pgLoss.item<float>(), valueLoss.item<float>(), entropyMean.item<float>() };
        return (gradients, figures, logRatio.detach());
    }

    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        double scale = 1 + expected.abs().max().item<float>();
        double difference = (expected - actual).abs().max().item<float>();
        Assert.True(difference <= 1e-5 * scale, $"{what}: largest difference {difference:E2} (largest value {scale - 1:E2})");
    }

    private static double Fraction(Tensor values, double above = double.NegativeInfinity, double below = double.PositiveInfinity)
    {
        using var low = above.ToScalar();
        using var high = below.ToScalar();
        return (values.gt(low) & values.lt(high)).to(float32).mean().item<float>();
    }

    /// <summary>
    /// A minibatch as PPO's update sees it, made around <paramref name="policy"/>: the rollout's log-probabilities and
    /// values are the policy's own plus noise, so that ratios spread around 1 and new values around the old ones.
    /// </summary>
    private sealed record MinibatchData(Tensor Obs, Tensor Actions, Tensor OldLogProbs, Tensor Advantages, Tensor OldValues, Tensor Returns)
    {
        public static MinibatchData Random(int seed, GaussianActorCritic policy)
        {
            var generator = new Generator((ulong)seed);
            using var spread = 0.3.ToScalar();
        var obs = torch.randn(Batch, policy.ObservationSize, generator: generator).mul(FixedScalars.Two);
            using var noGrad = torch.no_grad();
            var actions = policy.Mean(obs).Plus(torch.randn(Batch, policy.ActionSize, generator: generator) * policy.LogStd.exp());
            var (logProbs, _, values) = policy.Evaluate(obs, actions);
            var oldLogProbs = logProbs.Plus(torch.randn(Batch, generator: generator).mul(spread));
            var oldValues = values.Plus(torch.randn(Batch, generator: generator).mul(spread));
            var advantages = torch.randn(Batch, generator: generator);
            var returns = oldValues.Plus(torch.randn(Batch, generator: generator).mul(FixedScalars.Two));
            return new MinibatchData(obs, actions, oldLogProbs, advantages, oldValues, returns);
        }
    }
}
