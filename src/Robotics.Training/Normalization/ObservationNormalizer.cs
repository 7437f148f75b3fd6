namespace Robotics.Training.Normalization;

/// <summary>
/// z = clamp((o - mean) / sqrt(var + eps), -clip, clip). Statistics update only while training and
/// are saved with the policy, so evaluation and the exported graph see the same transform.
/// </summary>
public sealed class ObservationNormalizer
{
    public const float Epsilon = 1e-8f;

    public ObservationNormalizer(int size, bool enabled, float clip)
    {
        Stats = new RunningMeanStd(size);
        Enabled = enabled;
        Clip = clip;
    }

    public RunningMeanStd Stats { get; }
    public bool Enabled { get; }
    public float Clip { get; }

    public void Update(ReadOnlySpan<float> batch, int rows)
    {
        if (Enabled) Stats.Update(batch, rows);
    }

    /// <summary>Normalizes a row-major batch into <paramref name="into"/> (which may be the same array).</summary>
    public void Normalize(ReadOnlySpan<float> batch, Span<float> into)
    {
        int n = Stats.Size;
        for (int k = 0; k < batch.Length; k++)
        {
            int i = k % n;
            into[k] = Enabled
                ? Math.Clamp((float)((batch[k] - Stats.Mean[i]) / Math.Sqrt(Stats.Var[i] + Epsilon)), -Clip, Clip)
                : batch[k];
        }
    }

    /// <summary>The statistics as the exported policy applies them (identity when disabled).</summary>
    public (float[] Mean, float[] Var, float Clip, float Epsilon) ForExport() => Enabled
        ? (Stats.Mean.Select(m => (float)m).ToArray(), Stats.Var.Select(v => (float)v).ToArray(), Clip, Epsilon)
        : (new float[Stats.Size], Enumerable.Repeat(1f - Epsilon, Stats.Size).ToArray(), float.MaxValue, Epsilon);
}
