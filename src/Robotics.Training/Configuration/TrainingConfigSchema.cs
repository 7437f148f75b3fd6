using System.Collections;
using System.Globalization;
using System.Reflection;
using Robotics.Contract;
using Robotics.Contract.Config;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Robotics.Training.Configuration;

/// <summary>
/// Checks a training config's YAML against the shape of <see cref="TrainingConfig"/> before it is deserialized, so
/// that every mistake is one line naming the file, the line, the key and what was expected: syntax errors, keys given
/// twice, unknown keys (with the nearest known ones), and values of the wrong kind (a word where a number or a list
/// belongs). The deserializer alone reports .NET type names, or silently keeps the last of two keys.
/// </summary>
internal static class TrainingConfigSchema
{
    private const int NearestKeys = 3;

    /// <summary>Throws <see cref="ConfigException"/> at the first problem; returns the line of every key, by dotted name.</summary>
    public static IReadOnlyDictionary<string, int> Check(string yaml, string file)
    {
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        // Syntax first, over the whole file: `num_envs: [16` is an unclosed bracket, not a list where a number belongs.
        const string hint = "(check for an unclosed [ or {, or a missing space after ':')";
        var syntax = new Parser(new StringReader(yaml));
        Mark lastGood = Mark.Empty;
        try
        {
            while (syntax.MoveNext())
            {
                lastGood = syntax.Current!.End;
            }
        }
        catch (YamlException e)
        {
            throw new ConfigException(file, "(document)", YamlSyntaxError.Describe(e));
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet reports some unfinished input (a bracket never closed) this way, without a position.
            throw new ConfigException(file, "(document)",
                $"line {lastGood.Line}: YAML syntax error: the text after line {lastGood.Line}, column {lastGood.Column} does not continue what was opened there {hint}");
        }

        var parser = new Parser(new StringReader(yaml));
        try
        {
            parser.Consume<StreamStart>();
            if (parser.TryConsume<StreamEnd>(out _))
            {
                return lines;
            }

            parser.Consume<DocumentStart>();
            if (parser.Accept<Scalar>(out var empty) && empty.Value.Length == 0)
            {
                return lines; // an empty document: every key takes its default
            }

            CheckValue(parser, typeof(TrainingConfig), "", file, lines);
            parser.Consume<DocumentEnd>();
            if (parser.Accept<DocumentStart>(out var second))
            {
                throw new ConfigException(file, "(document)", $"line {second.Start.Line}: a second YAML document; a training config is one mapping");
            }
        }
        catch (YamlException e)
        {
            throw new ConfigException(file, "(document)", $"line {e.Start.Line}, column {e.Start.Column}: {(e.InnerException ?? e).Message}");
        }

        return lines;
    }

    private static void CheckValue(IParser parser, Type type, string key, string file, Dictionary<string, int> lines)
    {
        var nullable = Nullable.GetUnderlyingType(type);
        if (IsSection(type))
        {
            CheckSection(parser, type, key, file, lines);
        }
        else if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            CheckList(parser, type.GetGenericArguments()[0], key, file);
        }
        else
        {
            var scalar = ExpectScalar(parser, key, file, Describe(nullable ?? type));
            bool isNull = scalar.Style == ScalarStyle.Plain && scalar.Value is "" or "~" or "null" or "Null" or "NULL";
            if (isNull && (nullable is not null || type == typeof(string)))
            {
                return;
            }

            if (!Fits(nullable ?? type, scalar))
            {
                throw Error(file, key, scalar.Start, $"expected {Describe(nullable ?? type)}, got '{Shorten(scalar.Value)}'");
            }
        }
    }

    private static void CheckSection(IParser parser, Type type, string section, string file, Dictionary<string, int> lines)
    {
        if (!parser.TryConsume<MappingStart>(out var start))
        {
            var found = parser.Current!;
            throw Error(file, section.Length == 0 ? "(document)" : section, found.Start,
                section.Length == 0 ? "expected a mapping of keys to values at the top level" : $"expected a section of keys (key: value on indented lines), got {What(found)}");
        }

        var properties = Keys(type);
        var seen = new Dictionary<string, Mark>(StringComparer.Ordinal);
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            var keyScalar = ExpectScalar(parser, section, file, "a key");
            string name = keyScalar.Value;
            string dotted = section.Length == 0 ? name : $"{section}.{name}";
            if (seen.TryGetValue(name, out var first))
            {
                throw Error(file, dotted, keyScalar.Start, $"given twice (first at line {first.Line}); keep one");
            }

            seen[name] = keyScalar.Start;
            if (!properties.TryGetValue(name, out var propertyType))
            {
                string where = section.Length == 0 ? "at the top level" : $"in section '{section}'";
                throw Error(file, dotted, keyScalar.Start, $"unknown key {where}; nearest known keys: {string.Join(", ", Nearest(name, properties.Keys))}");
            }

            lines[dotted] = (int)keyScalar.Start.Line;
            CheckValue(parser, propertyType, dotted, file, lines);
        }
    }

    private static void CheckList(IParser parser, Type element, string key, string file)
    {
        if (!parser.TryConsume<SequenceStart>(out _))
        {
            var found = parser.Current!;
            throw Error(file, key, found.Start, $"expected a list of {Plural(element)} like {Example(element)}, got {What(found)}");
        }

        while (!parser.TryConsume<SequenceEnd>(out _))
        {
            var item = ExpectScalar(parser, key, file, $"a list of {Plural(element)} like {Example(element)}");
            if (!Fits(element, item))
            {
                throw Error(file, key, item.Start, $"expected a list of {Plural(element)} like {Example(element)}, got the item '{Shorten(item.Value)}'");
            }
        }
    }

    private static Scalar ExpectScalar(IParser parser, string key, string file, string expected)
    {
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            return scalar;
        }

        var found = parser.Current!;
        throw Error(file, key.Length == 0 ? "(document)" : key, found.Start, $"expected {expected}, got {What(found)}");
    }

    private static bool Fits(Type type, Scalar scalar)
    {
        string v = scalar.Value;
        if (type == typeof(string))
        {
            return true;
        }

        if (scalar.Style is not ScalarStyle.Plain)
        {
            return false; // a quoted "16" is text, and the deserializer would refuse it where a number belongs
        }

        return type == typeof(int) ? int.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
            : type == typeof(long) ? long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
            : type == typeof(double) ? double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            : type == typeof(bool) ? v.ToLowerInvariant() is "true" or "false"
            : true;
    }

    private static bool IsSection(Type type) => type.IsClass && type != typeof(string) && !typeof(IEnumerable).IsAssignableFrom(type);

    /// <summary>The keys of a section and the type of each value; the top level adds each registered algorithm's section.</summary>
    private static Dictionary<string, Type> Keys(Type type)
    {
        var keys = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.GetCustomAttribute<YamlIgnoreAttribute>() is null)
            .ToDictionary(p => UnderscoredNamingConvention.Instance.Apply(p.Name), p => p.PropertyType, StringComparer.Ordinal);
        if (type == typeof(TrainingConfig))
        {
            foreach (var algorithm in Algorithms.AlgorithmRegistry.All) keys.Add(algorithm.Name, algorithm.OptionsType);
        }

        return keys;
    }

    private static IEnumerable<string> Nearest(string name, IEnumerable<string> known) =>
        known.OrderBy(k => Distance(name, k)).ThenBy(k => k, StringComparer.Ordinal).Take(NearestKeys);

    /// <summary>Levenshtein distance: how many single-character edits turn one key into the other.</summary>
    private static int Distance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (int i = 1; i <= a.Length; i++)
        {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }

        return row[b.Length];
    }

    private static string Describe(Type type) =>
        type == typeof(int) || type == typeof(long) ? "a whole number"
        : type == typeof(double) ? "a number"
        : type == typeof(bool) ? "true or false"
        : type == typeof(string) ? "a text value"
        : "a value";

    private static string Plural(Type element) => element == typeof(int) ? "whole numbers" : "text values";

    private static string Example(Type element) => element == typeof(int) ? "[64, 64]" : "[tcp://host-a:5555, tcp://host-b:5555]";

    private static string What(ParsingEvent found) => found switch
    {
        MappingStart => "a section of keys",
        SequenceStart => "a list",
        Scalar s => $"'{Shorten(s.Value)}'",
        AnchorAlias => "an alias (*name); write the value out",
        _ => "nothing",
    };

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";

    private static ConfigException Error(string file, string key, Mark at, string problem) => new(file, key, $"line {at.Line}: {problem}");
}
