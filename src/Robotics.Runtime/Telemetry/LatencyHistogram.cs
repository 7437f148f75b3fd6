namespace Robotics.Runtime.Telemetry;

/// <summary>
/// Durations in whole microseconds, counted in 1 µs bins up to <see cref="RangeMicros"/> (anything longer
/// lands in the last bin, while <see cref="MaxMicros"/> stays exact). Recording allocates nothing.
/// </summary>
public sealed class LatencyHistogram
{
    private readonly long[] bins;

    public LatencyHistogram(int rangeMicros = 100_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rangeMicros, 1);
        bins = new long[rangeMicros + 1];
    }

    public int RangeMicros => bins.Length - 1;
    public long Count { get; private set; }
    public double MaxMicros { get; private set; }
    public double SumMicros { get; private set; }
    public double MeanMicros => Count == 0 ? 0 : SumMicros / Count;

    public void Record(double micros)
    {
        if (micros < 0) micros = -micros;
        var bin = micros >= RangeMicros ? RangeMicros : (int)micros;
        bins[bin]++;
        Count++;
        SumMicros += micros;
        if (micros > MaxMicros) MaxMicros = micros;
    }

    /// <summary>The smallest whole microsecond at or below which a fraction <paramref name="q"/> of the samples lie.</summary>
    public double Percentile(double q)
    {
        if (Count == 0) return 0;
        var rank = (long)Math.Ceiling(q * Count);
        if (rank < 1) rank = 1;
        long seen = 0;
        for (int i = 0; i < bins.Length; i++)
        {
            seen += bins[i];
            if (seen >= rank) return i == RangeMicros ? MaxMicros : Math.Min(i + 1, MaxMicros);
        }

        return MaxMicros;
    }

    public void Clear()
    {
        Array.Clear(bins);
        Count = 0;
        MaxMicros = 0;
        SumMicros = 0;
    }
}
