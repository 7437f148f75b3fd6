using Robotics.Training.Configuration;
using Robotics.Training.Tensors;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Robotics.Training.Policies;

/// <summary>
/// Gaussian policy: an MLP gives the mean of normalized actions, a learned state-independent log-std
/// gives the spread; a separate MLP gives the state value. Inputs are normalized observations; the value network
/// may see more than the policy (an asymmetric critic): its input is the policy's observations followed by
/// <see cref="CriticObservationSize"/> values only a simulator knows. <see cref="Mean"/> is the deterministic path
/// that is exported.
/// </summary>
public sealed class GaussianActorCritic : nn.Module<Tensor, Tensor>
{
    private static readonly double HalfLog2Pi = 0.5 * Math.Log(2 * Math.PI);
    private static readonly Scalar MinusHalfLog2Pi = (-HalfLog2Pi).ToScalar();
    private static readonly Scalar EntropyConstant = (0.5 + HalfLog2Pi).ToScalar();

    private readonly Sequential actorMean;
    private readonly Parameter actorLogStd;
    private readonly Sequential critic;

    // The same Linear modules as inside the Sequentials, kept in order for export and for hand-written gradients.
    private readonly List<Linear> actorLayers;
    private readonly List<Linear> criticLayers;

    /// <param name="criticObservationSize">Inputs of the value network beyond the policy's observations (0: the same inputs).</param>
    public GaussianActorCritic(int observationSize, int actionSize, PolicyOptions options, int criticObservationSize = 0)
        : base(nameof(GaussianActorCritic))
    {
        ArgumentOutOfRangeException.ThrowIfNegative(criticObservationSize);
        ObservationSize = observationSize;
        CriticObservationSize = criticObservationSize;
        ActionSize = actionSize;
        Activation = options.Activation;
        var hidden = options.HiddenSizes.ToArray();
        HiddenSizes = hidden;

        var actor = Mlp(observationSize, hidden, actionSize, options.Activation, outputGain: 0.01);
        actorMean = actor.Net;
        actorLayers = actor.Layers;
        using (var initLogStd = options.InitLogStd.ToScalar())
            actorLogStd = new Parameter(torch.full(1, actionSize, initLogStd, dtype: float32));
        var criticMlp = Mlp(observationSize + criticObservationSize, hidden, 1, options.Activation, outputGain: 1.0);
        critic = criticMlp.Net;
        criticLayers = criticMlp.Layers;
        RegisterComponents();
    }

    public int ObservationSize { get; }

    /// <summary>What the value network sees beyond the policy's observations.</summary>
    public int CriticObservationSize { get; }

    public int ActionSize { get; }
    public string Activation { get; }
    public IReadOnlyList<int> HiddenSizes { get; }
    public Parameter LogStd => actorLogStd;

    /// <summary>The mean of the action distribution (normalized actions, not yet clipped).</summary>
    public override Tensor forward(Tensor observations) => actorMean.forward(observations);

    public Tensor Mean(Tensor observations) => actorMean.forward(observations);

    /// <summary>The state value from the critic's inputs: the observations, followed by the critic's own where it has them.</summary>
    public Tensor Value(Tensor criticInputs) => critic.forward(criticInputs).squeeze(-1);

    /// <summary>
    /// Samples actions from N(mean, exp(logStd)); returns the sample and its log-probability. <paramref name="noise"/>,
    /// standard normal draws of the actions' shape, is drawn here from torch's generator when not given.
    /// </summary>
    public (Tensor Action, Tensor LogProb) Sample(Tensor observations, Tensor? noise = null)
    {
        var mean = actorMean.forward(observations);
        var std = actorLogStd.exp().expand_as(mean);
        // What torch.normal(mean, std) computes (randn * std + mean), without its implicit Scalar.
        var action = ((noise ?? torch.randn(mean.shape, device: mean.device)) * std).Plus(mean);
        return (action, LogProb(mean, action));
    }

    /// <summary>
    /// Log-probability, entropy and value of given actions under the current networks; the value from
    /// <paramref name="criticInputs"/> where the critic sees more than the policy, else from the observations.
    /// </summary>
    public (Tensor LogProb, Tensor Entropy, Tensor Value) Evaluate(Tensor observations, Tensor actions, Tensor? criticInputs = null)
    {
        var mean = actorMean.forward(observations);
        var logProb = LogProb(mean, actions);
        // Entropy of a diagonal Gaussian: sum over dimensions of (0.5 + 0.5 log 2 pi + log std).
        var entropy = actorLogStd.Plus(EntropyConstant).sum(-1).expand(mean.shape[0]);
        if (criticInputs is null && CriticObservationSize > 0)
            throw new ArgumentException($"the value network sees {CriticObservationSize} critic observations beyond the policy's; pass its inputs", nameof(criticInputs));
        return (logProb, entropy, Value(criticInputs ?? observations));
    }

    private Tensor LogProb(Tensor mean, Tensor action)
    {
        // -0.5 z^2 - log std - 0.5 log 2 pi: the constant part on the [1, act] log-std, then one multiply-add over
        // the batch (each autograd node costs microseconds, far more than its arithmetic at these sizes).
        var z = (action - mean) / actorLogStd.exp();
        return torch.addcmul(actorLogStd.SubtractedFrom(MinusHalfLog2Pi), z, z, value: FixedScalars.MinusHalf).sum(-1);
    }

    /// <summary>The mean network as an <see cref="MlpTape"/>: the same weights, run without autograd.</summary>
    public MlpTape ActorTape() => new(actorLayers, Activation);

    /// <summary>The value network as an <see cref="MlpTape"/> (output [batch, 1]).</summary>
    public MlpTape CriticTape() => new(criticLayers, Activation);

    /// <summary>The actor's linear layers in order, for export.</summary>
    public IReadOnlyList<DenseLayer> ActorLayers()
    {
        using var _ = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        return actorLayers.Select(l => new DenseLayer(
            (int)l.in_features,
            (int)l.out_features,
            l.weight!.detach().cpu().contiguous().data<float>().ToArray(),
            l.bias!.detach().cpu().contiguous().data<float>().ToArray())).ToList();
    }

    private static (Sequential Net, List<Linear> Layers) Mlp(int input, int[] hidden, int output, string activation, double outputGain)
    {
        var modules = new List<(string, nn.Module<Tensor, Tensor>)>();
        var layers = new List<Linear>();
        int width = input;
        for (int i = 0; i < hidden.Length; i++)
        {
            var linear = OrthogonalLinear(width, hidden[i], Math.Sqrt(2));
            layers.Add(linear);
            modules.Add(($"linear{i}", linear));
            modules.Add(($"act{i}", ActivationModule(activation)));
            width = hidden[i];
        }

        var last = OrthogonalLinear(width, output, outputGain);
        layers.Add(last);
        modules.Add(("out", last));
        return (nn.Sequential(modules), layers);
    }

    private static Linear OrthogonalLinear(int input, int output, double gain)
    {
        var linear = nn.Linear(input, output);
        using (torch.no_grad())
        {
            nn.init.orthogonal_(linear.weight!, gain);
            nn.init.constant_(linear.bias!, FixedScalars.Zero);
        }

        return linear;
    }

    private static nn.Module<Tensor, Tensor> ActivationModule(string name) => name switch
    {
        "tanh" => nn.Tanh(),
        "relu" => nn.ReLU(),
        "elu" => new HeldScalarElu(),
        _ => throw new ArgumentException($"unknown activation '{name}': expected tanh, relu or elu", nameof(name)),
    };
}
