namespace Robotics.Training.Runner;

/// <summary>
/// When an evaluation counts towards a collapse. The zero point of a return is the policy before training (its
/// evaluation at step 0): a collapse gives back more than <c>1 - fraction</c> of what training gained over it. This
/// holds for returns of any sign and offset (a reacher's returns end near 0 from far below; a fraction of the best
/// itself would be noise there), and it matches "below a fraction of the best" when the untrained policy scores 0.
/// </summary>
public static class CollapseRule
{
    /// <summary>
    /// The return below which an evaluation is low: <c>best - (1 - fraction) * (best - initial)</c>; minus infinity
    /// while training has gained nothing over <paramref name="initial"/> (there is nothing to fall back from). Without
    /// an initial evaluation (NaN: a run resumed from a checkpoint written before it was kept), the drop is measured
    /// against the best's magnitude: <c>best - (1 - fraction) * |best|</c>.
    /// </summary>
    public static double Threshold(double best, double initial, double fraction)
    {
        if (double.IsNaN(initial)) return best - (1 - fraction) * Math.Abs(best);
        double gain = best - initial;
        return gain > 0 ? best - (1 - fraction) * gain : double.NegativeInfinity;
    }
}
