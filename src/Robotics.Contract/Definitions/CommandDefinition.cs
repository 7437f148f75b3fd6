using Robotics.Contract.Config;

namespace Robotics.Contract.Definitions;

/// <summary>
/// A value sampled at the start of every episode (a target to reach, a velocity to walk at), given to
/// the policy through the <c>command</c> observation. On a robot the operator supplies it instead.
/// Sampled uniformly per component from <see cref="Min"/>..<see cref="Max"/>, or, for a 2-component
/// command with <see cref="Polar"/>, as a point at a uniform radius and angle.
/// </summary>
public sealed record CommandDefinition(
    string Name,
    IReadOnlyList<string> Components,
    IReadOnlyList<double> Min,
    IReadOnlyList<double> Max,
    PolarRange? Polar,
    IReadOnlyList<string> Joints,
    int ResampleSteps)
{
    public int Size => Components.Count;

    public CommandSpec ToSpec() => new(Name, Components, Min, Max);

    /// <summary>Draws a new value into <paramref name="into"/> (length <see cref="Size"/>).</summary>
    public void Sample(Random random, Span<double> into)
    {
        if (Polar is { } polar)
        {
            double radius = polar.RadiusMin + (polar.RadiusMax - polar.RadiusMin) * random.NextDouble();
            double angle = polar.AngleMin + (polar.AngleMax - polar.AngleMin) * random.NextDouble();
            into[0] = radius * Math.Cos(angle);
            into[1] = radius * Math.Sin(angle);
            return;
        }
        for (int i = 0; i < Components.Count; i++)
            into[i] = Min[i] + (Max[i] - Min[i]) * random.NextDouble();
    }

    internal static IReadOnlyList<CommandDefinition> ReadList(ConfigValue? value)
    {
        if (value is null)
            return [];
        var result = new List<CommandDefinition>();
        foreach (var item in value.AsList())
        {
            var map = item.AsMap();
            map.AllowOnly("name", "components", "ranges", "polar", "joints", "resample_steps");
            string name = map.RequiredString("name");
            if (result.Any(c => c.Name == name))
                throw item.Error($"command '{name}' is defined twice");

            var polarValue = map.Optional("polar");
            var rangesValue = map.Optional("ranges");
            if ((polarValue is null) == (rangesValue is null))
                throw item.Error("expected exactly one of 'ranges' (a [min, max] per component) or 'polar' (radius and angle ranges)");

            double[] min, max;
            PolarRange? polar = null;
            if (rangesValue is not null)
            {
                var ranges = rangesValue.AsList().Select(r => r.AsRange()).ToArray();
                if (ranges.Length == 0)
                    throw rangesValue.Error("expected at least one [min, max] range");
                min = ranges.Select(r => r.Min).ToArray();
                max = ranges.Select(r => r.Max).ToArray();
            }
            else
            {
                var polarMap = polarValue!.AsMap();
                polarMap.AllowOnly("radius", "angle");
                var radius = polarMap.Required("radius", "the radius range [min, max]").AsRange();
                var angle = polarMap.Optional("angle")?.AsRange() ?? (-Math.PI, Math.PI);
                polar = new PolarRange(radius.Min, radius.Max, angle.Min, angle.Max);
                min = [-radius.Max, -radius.Max];
                max = [radius.Max, radius.Max];
            }

            var componentsValue = map.Optional("components");
            IReadOnlyList<string> components = componentsValue?.AsStringList()
                ?? Enumerable.Range(0, min.Length).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            if (components.Count != min.Length)
                throw componentsValue!.Error($"expected {min.Length} component names, one per range, found {components.Count}");

            var jointsValue = map.Optional("joints");
            IReadOnlyList<string> joints = jointsValue?.AsStringList() ?? [];
            if (joints.Count != 0 && joints.Count != min.Length)
                throw jointsValue!.Error($"expected {min.Length} joint names, one per component, found {joints.Count}");

            int resample = map.OptionalInt("resample_steps", 0);
            if (resample < 0)
                throw map.Required("resample_steps", "").Error("expected 0 (never) or a positive number of steps");
            result.Add(new CommandDefinition(name, components, min, max, polar, joints, resample));
        }
        return result;
    }
}

/// <summary>A 2-D point drawn at a uniform radius (m) and angle (rad) around the origin.</summary>
public sealed record PolarRange(double RadiusMin, double RadiusMax, double AngleMin, double AngleMax);
