using System.Text;
using System.Text.RegularExpressions;

namespace Robotics.SimBridge.Tests.Conformance;

/// <summary>One request of the document and the reply it shows, as bytes; <see cref="Repeat"/> sends the request that many times, ids counting up.</summary>
internal sealed record Exchange(int Line, byte[] Request, int Repeat, byte[] Reply, IReadOnlyList<int> Unshown);

/// <summary>
/// The examples of docs/sim-bridge-protocol.md, read the way the document says to read them: fenced blocks marked
/// <c>frames</c> hold requests (<c>→</c>) and replies (<c>←</c>) in hex, <c>"text"</c> for its UTF-8 bytes, <c>…</c> for
/// one value not shown, <c>#</c> comments, indented lines continuing a frame; the block marked <c>json contract</c> is
/// the contract_json of the worked example.
/// </summary>
internal static partial class ProtocolDocument
{
    public const string Name = "docs/sim-bridge-protocol.md";

    public static string Text { get; } = File.ReadAllText(Path.Combine(RepositoryRoot(), Name));

    public static IReadOnlyList<Exchange> Exchanges() => Parse(Text);

    /// <summary>The body of the first fenced block whose info string is <paramref name="info"/>.</summary>
    public static string Block(string info)
    {
        var match = Regex.Match(Text, $"^```{Regex.Escape(info)}\\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline);
        Assert.True(match.Success, $"{Name} has no ```{info} block");
        return match.Groups[1].Value;
    }

    public static IReadOnlyList<Exchange> Parse(string text)
    {
        var pairs = new List<(Frame Request, Frame Reply)>();
        var lines = text.Split('\n');
        bool inFrames = false;
        Frame? current = null;
        Frame? request = null;
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inFrames = !inFrames && line.Trim() == "```frames";
                current = null;
                continue;
            }

            if (!inFrames)
            {
                continue;
            }

            int comment = CommentStart(line);
            string content = comment < 0 ? line : line[..comment];
            if (content.StartsWith('→'))
            {
                Assert.True(request is null, $"{Name} line {request?.Line}: a request without a reply");
                content = content[1..].TrimStart();
                int repeat = 1;
                if (content.StartsWith('×'))
                {
                    int space = content.IndexOf(' ');
                    repeat = int.Parse(content[1..space], System.Globalization.CultureInfo.InvariantCulture);
                    content = content[space..];
                }

                current = request = new Frame(i + 1, repeat);
            }
            else if (content.StartsWith('←'))
            {
                Assert.True(request is not null, $"{Name} line {i + 1}: a reply without a request");
                content = content[1..];
                current = new Frame(i + 1, 1);
                pairs.Add((request, current));
                request = null;
            }
            else if (content.Trim().Length > 0)
            {
                Assert.True(current is not null && char.IsWhiteSpace(content[0]),
                    $"{Name} line {i + 1}: a line of a frames block starts with → or ←, or is indented to continue one");
            }

            current?.Add(content, i + 1);
        }

        Assert.True(request is null, $"{Name} line {request?.Line}: a request without a reply");
        return pairs.Select(p =>
        {
            Assert.True(p.Request.Unshown.Count == 0, $"{Name} line {p.Request.Line}: a request shows every byte");
            return new Exchange(p.Request.Line, p.Request.Bytes.ToArray(), p.Request.Repeat, p.Reply.Bytes.ToArray(), p.Reply.Unshown);
        }).ToList();
    }

    private static int CommentStart(string line)
    {
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            if (line[i] == '"')
            {
                quoted = !quoted;
            }
            else if (line[i] == '#' && !quoted)
            {
                return i;
            }
        }

        return -1;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, Name)))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no {Name} above {AppContext.BaseDirectory}");
    }

    [GeneratedRegex("\"[^\"]*\"|…|[0-9a-fA-F]+|\\S+")]
    private static partial Regex Token();

    private sealed class Frame(int line, int repeat)
    {
        public int Line { get; } = line;
        public int Repeat { get; } = repeat;
        public List<byte> Bytes { get; } = new();
        public List<int> Unshown { get; } = new();

        public void Add(string content, int line)
        {
            foreach (Match token in Token().Matches(content))
            {
                string t = token.Value;
                if (t == "…")
                {
                    Unshown.Add(Bytes.Count);
                }
                else if (t.StartsWith('"'))
                {
                    Bytes.AddRange(Encoding.UTF8.GetBytes(t[1..^1]));
                }
                else
                {
                    Assert.True(t.Length % 2 == 0 && t.All(char.IsAsciiHexDigit), $"{Name} line {line}: '{t}' is not hex bytes, \"text\" or …; comments start with #");
                    Bytes.AddRange(Convert.FromHexString(t));
                }
            }
        }
    }
}
