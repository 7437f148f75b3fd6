using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Robotics.Contract.Config;

/// <summary>Reads a YAML file into a <see cref="ConfigMap"/>, turning every parse problem into a <see cref="ConfigException"/>.</summary>
public static class ConfigFile
{
    public static ConfigMap Load(string file)
    {
        string fullPath = Path.GetFullPath(file);
        if (!File.Exists(fullPath))
            throw new ConfigException(fullPath, "(file)", "file not found");
        return Parse(File.ReadAllText(fullPath), fullPath);
    }

    /// <summary>Parses YAML text; <paramref name="file"/> is only used to name the source in errors.</summary>
    public static ConfigMap Parse(string yaml, string file)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new ConfigException(file, "(document)", YamlSyntaxError.Describe(e));
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet reports some malformed input (an unclosed [ or {, a repeated key) this way.
            throw new ConfigException(file, "(document)", $"invalid YAML: {e.Message} (check for an unclosed bracket or a key given twice)");
        }

        if (stream.Documents.Count == 0)
            throw new ConfigException(file, "(document)", "the file is empty; expected a mapping of keys to values");
        if (stream.Documents.Count > 1)
            throw new ConfigException(file, "(document)", "expected one YAML document, found " + stream.Documents.Count);
        if (stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new ConfigException(file, "(document)", "expected a mapping of keys to values at the top level");
        return new ConfigMap(root, file, "");
    }
}
