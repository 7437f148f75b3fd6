using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Robotics.Contract.Config;

/// <summary>One YAML value with its file and key path; conversions throw <see cref="ConfigException"/> that say what was expected.</summary>
public sealed class ConfigValue
{
    public ConfigValue(YamlNode node, string file, string path)
    {
        Node = node;
        File = file;
        Path = path;
    }

    public YamlNode Node { get; }
    public string File { get; }
    public string Path { get; }
    public int Line => (int)Node.Start.Line;

    public bool IsScalar => Node is YamlScalarNode;
    public bool IsMap => Node is YamlMappingNode;
    public bool IsList => Node is YamlSequenceNode;

    public ConfigException Error(string problem) => new(File, Path, $"{problem} (line {Line})");

    public string AsString()
    {
        if (Node is YamlScalarNode { Value: { Length: > 0 } text })
            return text;
        throw Error($"expected a non-empty string, found {Describe()}");
    }

    public double AsDouble()
    {
        if (Node is YamlScalarNode { Value: { } text })
        {
            switch (text)
            {
                case ".inf" or ".Inf" or ".INF" or "+.inf": return double.PositiveInfinity;
                case "-.inf" or "-.Inf" or "-.INF": return double.NegativeInfinity;
            }
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && !double.IsNaN(value))
                return value;
        }
        throw Error($"expected a number, found {Describe()}");
    }

    public double AsFiniteDouble()
    {
        double value = AsDouble();
        return double.IsFinite(value) ? value : throw Error("expected a finite number");
    }

    public double AsPositiveDouble()
    {
        double value = AsFiniteDouble();
        return value > 0 ? value : throw Error($"expected a number greater than 0, found {Format(value)}");
    }

    public int AsInt()
    {
        if (Node is YamlScalarNode { Value: { } text } &&
            int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value))
            return value;
        throw Error($"expected an integer, found {Describe()}");
    }

    public bool AsBool()
    {
        if (Node is YamlScalarNode { Value: { } text })
        {
            switch (text)
            {
                case "true" or "True" or "TRUE" or "yes": return true;
                case "false" or "False" or "FALSE" or "no": return false;
            }
        }
        throw Error($"expected true or false, found {Describe()}");
    }

    public ConfigMap AsMap() =>
        Node is YamlMappingNode map ? new ConfigMap(map, File, Path) : throw Error($"expected a mapping of keys to values, found {Describe()}");

    public IReadOnlyList<ConfigValue> AsList()
    {
        if (Node is not YamlSequenceNode list)
            throw Error($"expected a list, found {Describe()}");
        var items = new ConfigValue[list.Children.Count];
        for (int i = 0; i < items.Length; i++)
            items[i] = new ConfigValue(list.Children[i], File, $"{Path}[{i}]");
        return items;
    }

    /// <summary>A list of strings, or a single string taken as a list of one.</summary>
    public IReadOnlyList<string> AsStringList() =>
        IsScalar ? [AsString()] : AsList().Select(v => v.AsString()).ToArray();

    public IReadOnlyList<double> AsDoubleList(int? expectedCount = null)
    {
        var values = AsList().Select(v => v.AsDouble()).ToArray();
        if (expectedCount is int n && values.Length != n)
            throw Error($"expected a list of {n} numbers, found {values.Length}");
        return values;
    }

    /// <summary>A closed interval written as [min, max] with min &lt;= max.</summary>
    public (double Min, double Max) AsRange()
    {
        if (Node is not YamlSequenceNode { Children.Count: 2 })
            throw Error($"expected a range [min, max], found {Describe()}");
        var items = AsList();
        double min = items[0].AsDouble(), max = items[1].AsDouble();
        if (min > max)
            throw Error($"expected min <= max in [min, max], found [{Format(min)}, {Format(max)}]");
        return (min, max);
    }

    private string Describe() => Node switch
    {
        YamlScalarNode { Value: var text } => string.IsNullOrEmpty(text) ? "an empty value" : $"'{text}'",
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        _ => "a " + Node.NodeType,
    };

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
