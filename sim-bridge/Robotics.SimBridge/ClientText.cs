using System.Text;

namespace Robotics.SimBridge;

/// <summary>Quotes text a client sent, capped and with control characters escaped, so a reply or log line stays one short line.</summary>
public static class ClientText
{
    /// <summary>Characters of client text quoted at most.</summary>
    public const int MaxQuoted = 80;

    /// <summary>'text' with at most <see cref="MaxQuoted"/> characters, and how long it really was when cut.</summary>
    public static string Quote(string? text)
    {
        if (text is null)
        {
            return "(none)";
        }

        var quoted = new StringBuilder("'");
        foreach (char c in text.AsSpan(0, Math.Min(text.Length, MaxQuoted)))
        {
            quoted.Append(char.IsControl(c) ? '?' : c);
        }

        quoted.Append('\'');
        if (text.Length > MaxQuoted)
        {
            quoted.Append($"… ({text.Length} characters)");
        }

        return quoted.ToString();
    }

    /// <summary>A message built from client data, cut to <paramref name="max"/> characters so no request can make a reply or log line large.</summary>
    public static string Cap(string message, int max = 400) =>
        message.Length <= max ? message : message[..max] + $"… ({message.Length} characters)";
}
