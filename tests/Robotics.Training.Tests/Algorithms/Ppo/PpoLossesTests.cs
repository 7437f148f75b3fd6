using Robotics.Training.Algorithms.OnPolicy;
using Robotics.Training.Algorithms.Ppo;
using TorchSharp;
using static TorchSharp.torch;

namespace Robotics.Training.Tests.Algorithms.Ppo;

public sealed class PpoLossesTests
{
    [Fact]
    public void Policy_loss_takes_the_pessimistic_of_clipped_and_unclipped_terms()
    {
        // eps = 0.2. Sample 0: A = 1, r = 1.5 -> min(1.5, 1.2) = 1.2 -> loss -1.2.
        // Sample 1: A = -1, r = 0.5 -> min(-0.5, -0.8) = -0.8 -> loss 0.8.
        // Sample 2: A = 2, r = 0.9 -> inside the range -> loss -1.8.
        using var adv = torch.tensor(new float[] { 1, -1, 2 });
        using var ratio = torch.tensor(new float[] { 1.5f, 0.5f, 0.9f });
        using var loss = PpoLosses.PolicyLoss(adv, ratio, 0.2);
        Assert.Equal((-1.2 + 0.8 - 1.8) / 3, loss.item<float>(), 5);
    }

    [Fact]
    public void Value_loss_unclipped_is_half_mean_squared_error()
    {
        using var v = torch.tensor(new float[] { 1, 2 });
        using var old = torch.tensor(new float[] { 0, 0 });
        using var ret = torch.tensor(new float[] { 0, 4 });
        using var loss = PpoLosses.ValueLoss(v, old, ret, 0.2, clip: false);
        Assert.Equal(0.5 * (1 + 4) / 2, loss.item<float>(), 5);
    }

    [Fact]
    public void Clipped_value_loss_takes_the_larger_error_of_new_and_clipped_values()
    {
        // Sample 0: V = 1, V_old = 0, R = 0: clipped V = 0.2; max(1, 0.04) = 1.
        // Sample 1: V = 2, V_old = 0, R = 4: clipped V = 0.2; max(4, 14.44) = 14.44.
        using var v = torch.tensor(new float[] { 1, 2 });
        using var old = torch.tensor(new float[] { 0, 0 });
        using var ret = torch.tensor(new float[] { 0, 4 });
        using var loss = PpoLosses.ValueLoss(v, old, ret, 0.2, clip: true);
        Assert.Equal(0.5 * (1 + 14.44) / 2, loss.item<float>(), 4);
    }

    [Fact]
    public void Approx_kl_and_clip_fraction_match_their_definitions()
    {
        float[] r = [1.0f, 1.5f, 0.5f, 1.1f];
        using var ratio = torch.tensor(r);
        using var logRatio = ratio.log();
        double expectedKl = r.Average(x => (x - 1) - Math.Log(x));
        Assert.Equal(expectedKl, OnPolicyEstimates.ApproxKl(logRatio, ratio).item<float>(), 5);
        Assert.Equal(0.5, PpoLosses.ClipFraction(ratio, 0.2).item<float>(), 6);
    }

    [Fact]
    public void Advantage_normalization_gives_zero_mean_unit_sample_std()
    {
        using var adv = torch.tensor(new float[] { 1, 2, 3, 4 });
        using var n = OnPolicyEstimates.NormalizeAdvantages(adv);
        var values = n.data<float>().ToArray();
        double std = Math.Sqrt(1.25 * 4 / 3);    // sample std of 1..4
        Assert.Equal((1 - 2.5) / std, values[0], 4);
        Assert.Equal((4 - 2.5) / std, values[3], 4);
    }

    [Fact]
    public void Minibatch_rows_are_normalized_and_measured_each_on_their_own()
    {
        // Row 0 is 1..4, row 1 is 10 * (1..4): normalized alike; KL and clip fraction one figure per row.
        using var adv = torch.tensor(new float[] { 1, 2, 3, 4, 10, 20, 30, 40 }, 2, 4);
        using var n = OnPolicyEstimates.NormalizeAdvantages(adv);
        using var single = OnPolicyEstimates.NormalizeAdvantages(torch.tensor(new float[] { 1, 2, 3, 4 }));
        Assert.Equal(single.data<float>().ToArray(), n[0].data<float>().ToArray());
        Assert.Equal(n[0].data<float>().ToArray(), n[1].data<float>().ToArray(), new FloatTolerance(1e-6f));

        using var ratio = torch.tensor(new float[] { 1.0f, 1.5f, 0.5f, 1.1f, 1, 1, 1, 1.3f }, 2, 4);
        using var kl = OnPolicyEstimates.ApproxKl(ratio.log(), ratio);
        using var clip = PpoLosses.ClipFraction(ratio, 0.2);
        Assert.Equal([2L], kl.shape);
        Assert.Equal(OnPolicyEstimates.ApproxKl(ratio[0].log(), ratio[0]).item<float>(), kl[0].item<float>());
        Assert.Equal((0.3 - Math.Log(1.3)) / 4, kl[1].item<float>(), 5);
        Assert.Equal(new float[] { 0.5f, 0.25f }, clip.data<float>().ToArray());
    }

    [Fact]
    public void Explained_variance_is_one_for_perfect_values_and_zero_for_the_mean()
    {
        float[] returns = [1, 2, 3, 4];
        Assert.Equal(1.0, OnPolicyEstimates.ExplainedVariance(returns, returns), 6);
        Assert.Equal(0.0, OnPolicyEstimates.ExplainedVariance([2.5f, 2.5f, 2.5f, 2.5f], returns), 6);
    }
}

/// <summary>Compares floats within an absolute tolerance.</summary>
internal sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
{
    public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;
    public int GetHashCode(float obj) => 0;
}
