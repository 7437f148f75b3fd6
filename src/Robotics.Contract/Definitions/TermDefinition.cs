using Robotics.Contract.Config;
using YamlDotNet.RepresentationModel;

namespace Robotics.Contract.Definitions;

/// <summary>
/// One observation, reward or termination term as written in a task file: either a bare term name
/// (<c>- alive</c>) or a mapping with <c>term:</c> and the term's parameters.
/// </summary>
public sealed class TermDefinition
{
    private static readonly string[] CommonKeys = ["term", "name", "weight"];

    private TermDefinition(string term, string name, double weight, ConfigMap parameters)
    {
        Term = term;
        Name = name;
        Weight = weight;
        Parameters = parameters;
    }

    /// <summary>The registered term kind, e.g. "joint_positions" or "alive".</summary>
    public string Term { get; }

    /// <summary>A label for statistics; defaults to <see cref="Term"/> (made unique with a suffix when repeated).</summary>
    public string Name { get; }

    /// <summary>Reward weight; 1 when not given, unused for observations and terminations.</summary>
    public double Weight { get; }

    /// <summary>The whole mapping of this term (an empty one for the bare-name form), for the term's own keys.</summary>
    public ConfigMap Parameters { get; }

    public string File => Parameters.File;
    public string Path => Parameters.Path;

    /// <summary>Rejects keys other than term, name, weight and <paramref name="keys"/>, naming the allowed ones.</summary>
    public void AllowParameters(params string[] keys) => Parameters.AllowOnly([.. CommonKeys, .. keys]);

    public ConfigException Error(string key, string problem) =>
        new(File, Parameters.PathOf(key), $"{problem} (line {Parameters.Line})");

    internal static IReadOnlyList<TermDefinition> ReadList(ConfigValue? value, bool weighted)
    {
        if (value is null)
            return [];
        var items = value.AsList();
        var result = new TermDefinition[items.Count];
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < items.Count; i++)
        {
            var item = items[i];
            ConfigMap parameters;
            string term;
            if (item.IsScalar)
            {
                term = item.AsString();
                parameters = new ConfigMap(new YamlMappingNode(), item.File, item.Path, item.Line);
            }
            else if (item.IsMap)
            {
                parameters = item.AsMap();
                term = parameters.Required("term", "the term's name, e.g. 'term: joint_positions'").AsString();
            }
            else
            {
                throw item.Error("expected a term name or a mapping with 'term:' and its parameters");
            }

            double weight = 1;
            var weightValue = parameters.Optional("weight");
            if (weightValue is not null)
            {
                if (!weighted)
                    throw weightValue.Error("only rewards have a weight");
                weight = weightValue.AsFiniteDouble();
            }

            string name = parameters.OptionalString("name") ?? term;
            if (names.TryGetValue(name, out int count))
            {
                names[name] = count + 1;
                name = $"{name}_{count + 1}";
            }
            else
            {
                names[name] = 1;
            }
            result[i] = new TermDefinition(term, name, weight, parameters);
        }
        return result;
    }
}
