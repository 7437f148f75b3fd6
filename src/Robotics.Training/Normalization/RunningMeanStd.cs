namespace Robotics.Training.Normalization;

/// <summary>
/// Running mean and variance of a vector, merged batch by batch (Chan et al.'s parallel algorithm),
/// in double precision. Starts at mean 0, variance 1 with a tiny count, as the Python baselines do.
/// </summary>
public sealed class RunningMeanStd
{
    public RunningMeanStd(int size)
    {
        Mean = new double[size];
        Var = Enumerable.Repeat(1.0, size).ToArray();
    }

    public double[] Mean { get; }
    public double[] Var { get; }
    public double Count { get; private set; } = 1e-4;
    public int Size => Mean.Length;

    /// <summary>Merges a row-major batch [rows, Size].</summary>
    public void Update(ReadOnlySpan<float> batch, int rows)
    {
        if (rows == 0) return;
        int n = Size;
        var batchMean = new double[n];
        var batchVar = new double[n];
        for (int r = 0; r < rows; r++)
            for (int i = 0; i < n; i++) batchMean[i] += batch[r * n + i];
        for (int i = 0; i < n; i++) batchMean[i] /= rows;
        for (int r = 0; r < rows; r++)
            for (int i = 0; i < n; i++)
            {
                double d = batch[r * n + i] - batchMean[i];
                batchVar[i] += d * d;
            }

        for (int i = 0; i < n; i++) batchVar[i] /= rows;
        Merge(batchMean, batchVar, rows);
    }

    public void Merge(double[] batchMean, double[] batchVar, double batchCount)
    {
        double total = Count + batchCount;
        for (int i = 0; i < Size; i++)
        {
            double delta = batchMean[i] - Mean[i];
            double m2 = Var[i] * Count + batchVar[i] * batchCount + delta * delta * Count * batchCount / total;
            Mean[i] += delta * batchCount / total;
            Var[i] = m2 / total;
        }

        Count = total;
    }

    public void Restore(double[] mean, double[] var, double count)
    {
        if (mean.Length != Size || var.Length != Size)
            throw new InvalidDataException($"normalizer statistics have {mean.Length} values; this policy needs {Size}");
        mean.CopyTo(Mean, 0);
        var.CopyTo(Var, 0);
        Count = count;
    }
}
