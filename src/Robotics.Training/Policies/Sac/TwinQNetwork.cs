using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Robotics.Training.Policies.Sac;

/// <summary>
/// Two independent Q networks Q1(s, a), Q2(s, a) on the concatenation of normalized observation and
/// action in [-1, 1]; SAC takes their minimum to counter overestimation. Used for both the critics and
/// their Polyak-averaged targets.
/// </summary>
public sealed class TwinQNetwork : nn.Module<Tensor, Tensor>
{
    private readonly Sequential q1;
    private readonly Sequential q2;

    public TwinQNetwork(int observationSize, int actionSize, IReadOnlyList<int> hidden, string activation)
        : base(nameof(TwinQNetwork))
    {
        q1 = SacNetworks.Mlp(observationSize + actionSize, hidden, 1, activation);
        q2 = SacNetworks.Mlp(observationSize + actionSize, hidden, 1, activation);
        RegisterComponents();
    }

    /// <summary>min(Q1, Q2) of the concatenated input [batch, obs + act].</summary>
    public override Tensor forward(Tensor observationAndAction)
    {
        var (a, b) = Both(observationAndAction);
        return torch.minimum(a, b);
    }

    public (Tensor Q1, Tensor Q2) Both(Tensor observationAndAction) =>
        (q1.forward(observationAndAction).squeeze(-1), q2.forward(observationAndAction).squeeze(-1));

    public (Tensor Q1, Tensor Q2) Both(Tensor observations, Tensor actions) => Both(torch.cat([observations, actions], 1));
}
