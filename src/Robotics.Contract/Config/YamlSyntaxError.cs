using System.Text.RegularExpressions;
using YamlDotNet.Core;

namespace Robotics.Contract.Config;

/// <summary>
/// A YAML syntax error in words that lead with where it is and what to check; the parser's own wording, which
/// speaks of block mappings and simple keys, follows as detail. Shared by robot, task and training files.
/// </summary>
public static partial class YamlSyntaxError
{
    /// <summary>What to check, for the errors YAML syntax usually comes down to in hand-written config files.</summary>
    public const string Advice =
        "check the indentation of this line and the lines above it (the keys of one mapping start in the same column, "
        + "a nested mapping or list is indented further than its key, spaces only, no tabs) and that each key is followed by ': '";

    /// <summary>"YAML syntax error at line L, column C: check the indentation ... Parser detail: ...", one line.</summary>
    public static string Describe(YamlException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        string detail = PositionPrefix().Replace((e.InnerException ?? e).Message, "").Trim();
        return $"YAML syntax error at line {e.Start.Line}, column {e.Start.Column}: {Advice}. Parser detail: {detail}";
    }

    // YamlDotNet starts its messages with "(Line: 3, Col: 5, Idx: 30) - (Line: 3, Col: 6, Idx: 31): "; the line is already said.
    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\):\s*")]
    private static partial Regex PositionPrefix();
}
