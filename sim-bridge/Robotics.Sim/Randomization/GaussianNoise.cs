namespace Robotics.Sim.Randomization;

/// <summary>Standard normal draws from a <see cref="Random"/>, without allocation.</summary>
internal static class GaussianNoise
{
    /// <summary>Box-Muller; one draw per call so the sequence depends only on the Random.</summary>
    public static double Next(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble(); // (0, 1]: log stays finite
        double u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Adds N(0, std²) to every element; does nothing when std is 0.</summary>
    public static void Add(Span<float> values, double std, Random rng)
    {
        if (std <= 0)
            return;
        for (int i = 0; i < values.Length; i++)
            values[i] += (float)(std * Next(rng));
    }
}
