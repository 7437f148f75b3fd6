using System.Globalization;

namespace Robotics.Training.Robustness;

/// <summary>
/// One perturbation swept over a range, written <c>KEY=LOW:HIGH:N</c> (N evenly spaced values, ends
/// included; N = 1 means LOW alone). The keys and what each sets in the task's randomization:
/// <list type="bullet">
/// <item><c>mass</c>: body_mass.scale, every body scaled by the value</item>
/// <item><c>friction</c>: geom_friction.scale</item>
/// <item><c>gain</c>: actuator_gain.scale (servo stiffness, motor gain)</item>
/// <item><c>latency</c>: action_latency_steps, in whole control periods</item>
/// <item><c>obs_noise</c>: observation_noise_std</item>
/// <item><c>push</c>: push.force in N on the robot's base, every 2 to 4 s for 0.1 s</item>
/// </list>
/// </summary>
public sealed record SweepAxis(string Key, IReadOnlyList<double> Values)
{
    public static readonly IReadOnlyList<string> Keys = ["mass", "friction", "gain", "latency", "obs_noise", "push"];

    /// <summary>
    /// What <c>--sweep default</c> runs: every key alone over a range somewhat wider than a typical training
    /// randomization (masses and gains ±20 %, friction 0.5 to 1.5, up to 2 periods of latency, noise up to 0.04,
    /// pushes up to 40 N), so the rows show both what the policy was trained for and a margin past it.
    /// </summary>
    public static readonly IReadOnlyList<string> DefaultSweep =
        ["mass=0.8:1.2:5", "friction=0.5:1.5:5", "gain=0.8:1.2:5", "latency=0:2:3", "obs_noise=0:0.04:3", "push=0:40:5"];

    /// <summary>Parses <c>KEY=LOW:HIGH:N</c>; a <see cref="FormatException"/> says what was wrong and what is expected.</summary>
    public static SweepAxis Parse(string text)
    {
        int eq = text.IndexOf('=');
        string key = eq < 0 ? text : text[..eq];
        if (!Keys.Contains(key))
            throw new FormatException($"'{text}': unknown sweep key '{key}'; expected one of {string.Join(", ", Keys)} as KEY=LOW:HIGH:N, e.g. mass=0.8:1.2:5");
        var parts = eq < 0 ? [] : text[(eq + 1)..].Split(':');
        if (parts.Length != 3
            || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double low)
            || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double high)
            || !int.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out int count))
            throw new FormatException($"'{text}': expected {key}=LOW:HIGH:N with two numbers and a whole count, e.g. {key}=0.8:1.2:5");
        if (!double.IsFinite(low) || !double.IsFinite(high) || low > high)
            throw new FormatException($"'{text}': expected finite LOW <= HIGH");
        if (count < 1 || count > 50)
            throw new FormatException($"'{text}': expected a count N from 1 to 50");
        if (low < 0)
            throw new FormatException($"'{text}': {key} cannot be negative");
        if (key is "mass" && low <= 0)
            throw new FormatException($"'{text}': a mass scale must be positive");

        var values = new double[count];
        for (int i = 0; i < count; i++)
        {
            double v = count == 1 ? low : low + (high - low) * i / (count - 1);
            values[i] = key == "latency" ? Math.Round(v) : v;
        }
        return new SweepAxis(key, values);
    }

    /// <summary>The randomization YAML entry that fixes this perturbation at <paramref name="value"/>.</summary>
    public string YamlFor(double value)
    {
        string v = value.ToString("R", CultureInfo.InvariantCulture);
        return Key switch
        {
            "mass" => $"body_mass: {{scale: [{v}, {v}]}}",
            "friction" => $"geom_friction: {{scale: [{v}, {v}]}}",
            "gain" => $"actuator_gain: {{scale: [{v}, {v}]}}",
            "latency" => $"action_latency_steps: {((int)value).ToString(CultureInfo.InvariantCulture)}",
            "obs_noise" => $"observation_noise_std: {v}",
            "push" => value > 0 ? $"push: {{force: [{v}, {v}], interval: [2, 4], duration: 0.1}}" : "",
            _ => throw new InvalidOperationException($"unknown sweep key {Key}"),
        };
    }

    public string Format(double value) => Key == "latency"
        ? ((int)value).ToString(CultureInfo.InvariantCulture)
        : value.ToString("0.###", CultureInfo.InvariantCulture);
}
