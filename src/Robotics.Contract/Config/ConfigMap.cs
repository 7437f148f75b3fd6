using YamlDotNet.RepresentationModel;

namespace Robotics.Contract.Config;

/// <summary>
/// A YAML mapping that knows which file and key path it came from, so that every error it raises
/// names both. Keys are looked up exactly (YAML keys are case-sensitive).
/// </summary>
public sealed class ConfigMap
{
    public ConfigMap(YamlMappingNode node, string file, string path, int? line = null)
    {
        Node = node;
        File = file;
        Path = path;
        Line = line ?? (int)node.Start.Line;
    }

    public YamlMappingNode Node { get; }
    public string File { get; }

    /// <summary>Key path of this mapping from the document root ("" for the root).</summary>
    public string Path { get; }

    /// <summary>Line of the mapping in the file (of the value it stands for, when made for a bare name).</summary>
    public int Line { get; }

    public IEnumerable<string> Keys => Node.Children.Keys.Select(k => k is YamlScalarNode scalar ? scalar.Value ?? "" : k.ToString());

    public bool Has(string key) => TryGet(key, out _);

    public ConfigValue? Optional(string key) => TryGet(key, out var value) ? value : null;

    public ConfigValue Required(string key, string expected) =>
        TryGet(key, out var value)
            ? value
            : throw new ConfigException(File, PathOf(key), $"missing; expected {expected} (in the mapping at line {Line})");

    public string RequiredString(string key) => Required(key, "a string").AsString();
    public double RequiredDouble(string key) => Required(key, "a number").AsDouble();
    public int RequiredInt(string key) => Required(key, "an integer").AsInt();

    public string? OptionalString(string key) => Optional(key)?.AsString();
    public double OptionalDouble(string key, double fallback) => Optional(key)?.AsDouble() ?? fallback;
    public int OptionalInt(string key, int fallback) => Optional(key)?.AsInt() ?? fallback;
    public bool OptionalBool(string key, bool fallback) => Optional(key)?.AsBool() ?? fallback;

    /// <summary>Throws for the first key that is not one of <paramref name="allowed"/>, listing the allowed ones.</summary>
    public void AllowOnly(params string[] allowed)
    {
        foreach (var (keyNode, _) in Node.Children)
        {
            if (keyNode is not YamlScalarNode scalar)
                throw new ConfigException(File, Path.Length == 0 ? "(document)" : Path,
                    $"keys must be plain names (line {keyNode.Start.Line})");
            string key = scalar.Value ?? "";
            if (!allowed.Contains(key, StringComparer.Ordinal))
                throw new ConfigException(File, PathOf(key),
                    $"unknown key (line {keyNode.Start.Line}); expected one of: {string.Join(", ", allowed)}");
        }
    }

    public string PathOf(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    private bool TryGet(string key, out ConfigValue value)
    {
        if (Node.Children.TryGetValue(new YamlScalarNode(key), out var node))
        {
            value = new ConfigValue(node, File, PathOf(key));
            return true;
        }
        value = null!;
        return false;
    }
}
