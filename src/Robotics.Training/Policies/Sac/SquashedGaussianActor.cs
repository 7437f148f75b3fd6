using Robotics.Training.Tensors;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Robotics.Training.Policies.Sac;

/// <summary>
/// SAC's actor: a trunk MLP with two heads, the mean and the (clamped) log standard deviation of a
/// Gaussian over pre-squash actions u; the action is a = tanh(u) in [-1, 1]. Inputs are normalized
/// observations. <see cref="Deterministic"/> (tanh of the mean) is the path that is exported.
/// </summary>
public sealed class SquashedGaussianActor : nn.Module<Tensor, Tensor>
{
    private static readonly Scalar HalfLog2PiScalar = (0.5 * Math.Log(2 * Math.PI)).ToScalar();
    private static readonly Scalar Log2 = Math.Log(2.0).ToScalar();
    private static readonly Scalar Two = 2.0.ToScalar();
    private static readonly Scalar MinusTwo = (-2.0).ToScalar();
    private static readonly Scalar SoftplusThreshold = 20.0.ToScalar();

    private readonly Sequential trunk;
    private readonly Linear meanHead;
    private readonly Linear logStdHead;

    // The trunk's Linear modules in order, for export.
    private readonly List<Linear> trunkLayers;

    public SquashedGaussianActor(int observationSize, int actionSize, IReadOnlyList<int> hidden, string activation, double logStdMin, double logStdMax)
        : base(nameof(SquashedGaussianActor))
    {
        if (logStdMin >= logStdMax)
            throw new ArgumentException($"log_std_min ({logStdMin}) must be below log_std_max ({logStdMax})");
        ObservationSize = observationSize;
        ActionSize = actionSize;
        Activation = activation;
        LogStdMin = logStdMin;
        LogStdMax = logStdMax;
        var (net, layers, width) = SacNetworks.Trunk(observationSize, hidden, activation);
        trunk = net;
        trunkLayers = layers;
        meanHead = nn.Linear(width, actionSize);
        logStdHead = nn.Linear(width, actionSize);
        RegisterComponents();
    }

    public int ObservationSize { get; }
    public int ActionSize { get; }
    public string Activation { get; }
    public double LogStdMin { get; }
    public double LogStdMax { get; }

    /// <summary>The mean of the pre-squash Gaussian.</summary>
    public override Tensor forward(Tensor observations) => meanHead.forward(trunk.forward(observations));

    /// <summary>Mean and clamped log-std of the pre-squash Gaussian.</summary>
    public (Tensor Mean, Tensor LogStd) Distribution(Tensor observations)
    {
        using var low = LogStdMin.ToScalar();
        using var high = LogStdMax.ToScalar();
        var h = trunk.forward(observations);
        return (meanHead.forward(h), logStdHead.forward(h).clamp(low, high));
    }

    /// <summary>The deterministic action tanh(mean) in [-1, 1].</summary>
    public Tensor Deterministic(Tensor observations) => forward(observations).tanh();

    /// <summary>
    /// A reparameterized sample a = tanh(mean + std * eps) with its log-probability (summed over action
    /// dimensions) and the log-std it was drawn with.
    /// </summary>
    public (Tensor Action, Tensor LogProb, Tensor LogStd) Sample(Tensor observations)
    {
        var (mean, logStd) = Distribution(observations);
        var u = mean.Plus(logStd.exp() * torch.randn_like(mean));
        return (u.tanh(), SquashedLogProb(u, mean, logStd), logStd);
    }

    /// <summary>
    /// log pi(tanh(u)) = sum_i [log N(u_i; mean_i, std_i) - log(1 - tanh(u_i)^2)], the change of variables
    /// through tanh. The correction uses log(1 - tanh(u)^2) = 2 (log 2 - u - softplus(-2u)), which stays
    /// finite where tanh(u) rounds to +-1.
    /// </summary>
    public static Tensor SquashedLogProb(Tensor u, Tensor mean, Tensor logStd)
    {
        var z = (u - mean) / logStd.exp();
        var gaussian = (z.Squared().mul(FixedScalars.MinusHalf) - logStd).sub(HalfLog2PiScalar);
        var logDetJacobian = (u.SubtractedFrom(Log2) - u.mul(MinusTwo).Softplus(FixedScalars.One, SoftplusThreshold)).mul(Two);
        return (gaussian - logDetJacobian).sum(-1);
    }

    /// <summary>The deterministic path's linear layers in order (trunk, then the mean head), for export.</summary>
    public IReadOnlyList<DenseLayer> DeterministicLayers()
    {
        using var _ = torch.no_grad();
        return trunkLayers.Append(meanHead).Select(SacNetworks.ToDense).ToList();
    }
}
