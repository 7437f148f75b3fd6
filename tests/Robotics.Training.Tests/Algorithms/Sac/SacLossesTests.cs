using Robotics.Training.Algorithms.Sac;
using Robotics.Training.Policies.Sac;
using Robotics.Training.Tensors;
using TorchSharp;

namespace Robotics.Training.Tests.Algorithms.Sac;

/// <summary>SAC's loss terms against cases computed by hand (values to 6 digits from the formulas in the comments).</summary>
public sealed class SacLossesTests
{
    [Fact]
    public void Squashed_log_probability_matches_the_hand_computed_change_of_variables()
    {
        // Dimension 1: u = 0.5, mean = 0.2, std = 0.5: z = 0.6,
        //   log N = -0.18 - ln 0.5 - 0.5 ln 2pi = -0.405792; ln(1 - tanh(0.5)^2) = ln 0.786448 = -0.240229.
        // Dimension 2: u = -1, mean = 0, std = 1: log N = -0.5 - 0.918939 = -1.418939; ln(1 - tanh(1)^2) = -0.867562.
        // log pi = (-0.405792 + 0.240229) + (-1.418939 + 0.867562) = -0.716939.
        using var u = torch.tensor(new[] { 0.5f, -1f }).reshape(1, 2);
        using var mean = torch.tensor(new[] { 0.2f, 0f }).reshape(1, 2);
        using var logStd = torch.tensor(new[] { MathF.Log(0.5f), 0f }).reshape(1, 2);

        using var logProb = SquashedGaussianActor.SquashedLogProb(u, mean, logStd);

        Assert.Equal(new long[] { 1 }, logProb.shape);
        Assert.Equal(-0.716939, logProb.item<float>(), 5);
    }

    [Fact]
    public void Squashed_log_probability_stays_finite_where_tanh_rounds_to_one()
    {
        // u = 20: tanh(u) is 1 in float32, so ln(1 - tanh^2) would be -inf; the stable form gives
        // 2 (ln 2 - 20 - softplus(-40)) = -38.613706. With mean = 20, std = 1: log N = -0.918939,
        // log pi = -0.918939 + 38.613706 = 37.694767.
        using var u = torch.tensor(new[] { 20f }).reshape(1, 1);
        using var mean = torch.tensor(new[] { 20f }).reshape(1, 1);
        using var logStd = torch.zeros(1, 1);

        using var logProb = SquashedGaussianActor.SquashedLogProb(u, mean, logStd);

        Assert.Equal(37.694767, logProb.item<float>(), 4);
    }

    [Fact]
    public void Temperature_loss_and_its_gradient_match_the_hand_computed_case()
    {
        // alpha = 0.5, log pi = [0.5, -1.5], target entropy -1: log pi + target = [-0.5, -2.5], mean -1.5.
        // loss = -(ln 0.5 * -1.5) = -1.039721; d loss / d log alpha = 1.5 (> 0: the entropy estimate 0.5 is
        // above the target -1, so gradient descent lowers alpha).
        using var logAlpha = torch.tensor(new[] { MathF.Log(0.5f) }).requires_grad_(true);
        using var logProb = torch.tensor(new[] { 0.5f, -1.5f });

        using var loss = SacLosses.TemperatureLoss(logAlpha, logProb, targetEntropy: -1);
        loss.backward();

        Assert.Equal(-1.039721, loss.item<float>(), 5);
        Assert.Equal(1.5, logAlpha.grad!.item<float>(), 5);
    }

    [Fact]
    public void Soft_target_bootstraps_unless_terminated()
    {
        // y = r + gamma (1 - d) (minQ' - alpha log pi'): gamma 0.9, alpha 0.2, log pi' 0.5, minQ' 10:
        // not terminated: 1 + 0.9 * (10 - 0.1) = 9.91; terminated: 2.
        using var rewards = torch.tensor(new[] { 1f, 2f });
        using var terminated = torch.tensor(new[] { 0f, 1f });
        using var nextMinQ = torch.tensor(new[] { 10f, 10f });
        using var nextLogProb = torch.tensor(new[] { 0.5f, 0.5f });
        using var alpha = torch.tensor(0.2f);

        using var target = SacLosses.SoftTarget(rewards, terminated, nextMinQ, nextLogProb, alpha, gamma: 0.9);

        var y = target.data<float>().ToArray();
        Assert.Equal(9.91, y[0], 5);
        Assert.Equal(2.0, y[1], 5);
    }

    [Fact]
    public void Actor_loss_is_alpha_log_pi_minus_min_q_averaged()
    {
        // alpha 0.2: (0.2 * 1 - 3 + 0.2 * -2 - 5) / 2 = -4.1
        using var logProb = torch.tensor(new[] { 1f, -2f });
        using var minQ = torch.tensor(new[] { 3f, 5f });
        using var alpha = torch.tensor(0.2f);

        using var loss = SacLosses.ActorLoss(logProb, minQ, alpha);

        Assert.Equal(-4.1, loss.item<float>(), 5);
    }

    [Fact]
    public void Polyak_update_moves_targets_tau_of_the_way_to_the_critics()
    {
        using var source = torch.nn.Linear(2, 1);
        using var target = torch.nn.Linear(2, 1);
        using (torch.no_grad())
        {
            source.weight!.copy_(torch.tensor(new[] { 1f, -2f }).reshape(1, 2));
            using (var four = 4f.ToScalar()) source.bias!.fill_(four);
            target.weight!.copy_(torch.tensor(new[] { 3f, 0f }).reshape(1, 2));
            target.bias!.fill_(FixedScalars.Zero);
        }

        SacLosses.PolyakUpdate(source, target, tau: 0.1);

        // 0.1 * source + 0.9 * target: weights [0.1 + 2.7, -0.2 + 0] = [2.8, -0.2], bias 0.4.
        var weight = target.weight!.data<float>().ToArray();
        Assert.Equal(2.8, weight[0], 5);
        Assert.Equal(-0.2, weight[1], 5);
        Assert.Equal(0.4, target.bias!.item<float>(), 5);
        Assert.Equal(1.0, source.weight!.data<float>()[0], 6);
    }
}
