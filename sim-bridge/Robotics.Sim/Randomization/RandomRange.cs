namespace Robotics.Sim.Randomization;

/// <summary>A closed interval [Min, Max] of reals, sampled uniformly.</summary>
public readonly record struct RandomRange
{
    public RandomRange(double min, double max)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max))
            throw new ArgumentException($"range bounds must be finite, got [{min}, {max}]");
        if (min > max)
            throw new ArgumentException($"range minimum {min} is greater than its maximum {max}");
        Min = min;
        Max = max;
    }

    public double Min { get; }
    public double Max { get; }

    /// <summary>A range that always gives <paramref name="value"/>.</summary>
    public static RandomRange Fixed(double value) => new(value, value);

    public double Sample(Random rng) => Min == Max ? Min : Min + (Max - Min) * rng.NextDouble();

    public override string ToString() => $"[{Min}, {Max}]";
}

/// <summary>A closed interval [Min, Max] of integers, sampled uniformly.</summary>
public readonly record struct IntRange
{
    public IntRange(int min, int max)
    {
        if (min > max)
            throw new ArgumentException($"range minimum {min} is greater than its maximum {max}");
        Min = min;
        Max = max;
    }

    public int Min { get; }
    public int Max { get; }

    public int Sample(Random rng) => Min == Max ? Min : rng.Next(Min, Max + 1);

    public override string ToString() => $"[{Min}, {Max}]";
}

/// <summary>One range per Cartesian axis.</summary>
public sealed record AxisRanges(RandomRange X, RandomRange Y, RandomRange Z)
{
    public static AxisRanges Zero { get; } = new(RandomRange.Fixed(0), RandomRange.Fixed(0), RandomRange.Fixed(0));

    public static AxisRanges One { get; } = new(RandomRange.Fixed(1), RandomRange.Fixed(1), RandomRange.Fixed(1));

    public RandomRange this[int axis] => axis switch
    {
        0 => X,
        1 => Y,
        2 => Z,
        _ => throw new ArgumentOutOfRangeException(nameof(axis), axis, "axis is 0 (x), 1 (y) or 2 (z)"),
    };
}
