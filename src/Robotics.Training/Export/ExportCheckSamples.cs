using Robotics.Training.Policies;

namespace Robotics.Training.Export;

/// <summary>
/// Observations that an export is checked on: typical ones around the training statistics, and the
/// extremes a robot can send (zeros, huge magnitudes, values far outside the normalizer's range) that
/// exercise the clipping paths of the graph.
/// </summary>
public static class ExportCheckSamples
{
    public const int DefaultCount = 1024;

    /// <summary>Row-major [count, obs_dim] observations, the same for the same seed.</summary>
    public static float[] Create(ExportablePolicy policy, int count = DefaultCount, int seed = 0)
    {
        int n = policy.ObservationSize;
        var rng = new Random(seed);
        var obs = new float[count * n];
        for (int row = 0; row < count; row++)
        {
            var kind = row % 8;
            for (int i = 0; i < n; i++)
            {
                var mean = policy.ObsMean[i];
                var std = MathF.Sqrt(policy.ObsVar[i] + policy.ObsEpsilon);
                float value = kind switch
                {
                    0 or 1 or 2 => mean + std * Gaussian(rng),
                    3 => mean + 3 * std * Gaussian(rng),
                    4 => 0f,
                    5 => mean + (rng.Next(2) == 0 ? -1 : 1) * std * (50f + 100f * rng.NextSingle()),
                    6 => (rng.Next(2) == 0 ? -1 : 1) * MathF.Pow(10f, 3 + 27 * rng.NextSingle()),
                    _ => (rng.NextSingle() * 2 - 1) * 1000f,
                };
                obs[row * n + i] = value;
            }
        }

        return obs;
    }

    private static float Gaussian(Random rng)
    {
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return (float)(Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
    }
}
