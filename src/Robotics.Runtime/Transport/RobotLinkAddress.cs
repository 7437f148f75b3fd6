using System.Globalization;

namespace Robotics.Runtime.Transport;

/// <summary>
/// A robot link as a user writes it: <c>scheme[:target][?key=value&amp;...]</c>, e.g. <c>serial:/dev/ttyACM0?baud=921600</c>,
/// <c>loopback</c>, <c>sim:cartpole</c>.
/// </summary>
public sealed record RobotLinkAddress(string Text, string Scheme, string Target, IReadOnlyDictionary<string, string> Parameters)
{
    public static RobotLinkAddress Parse(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
            throw new RobotLinkException("the link is empty: name one, e.g. serial:/dev/ttyACM0?baud=921600 or loopback");
        var query = trimmed.IndexOf('?', StringComparison.Ordinal);
        var head = query < 0 ? trimmed : trimmed[..query];
        var colon = head.IndexOf(':', StringComparison.Ordinal);
        var scheme = (colon < 0 ? head : head[..colon]).ToLowerInvariant();
        var target = colon < 0 ? "" : head[(colon + 1)..];
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        if (query >= 0)
        {
            foreach (var pair in trimmed[(query + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                    throw new RobotLinkException($"link '{text}': '{pair}' is not key=value");
                if (!parameters.TryAdd(pair[..equals].ToLowerInvariant(), pair[(equals + 1)..]))
                    throw new RobotLinkException($"link '{text}': '{pair[..equals]}' is given twice");
            }
        }

        return new RobotLinkAddress(text, scheme, target, parameters);
    }

    /// <summary>Refuses any parameter not in <paramref name="known"/>, naming the ones that are.</summary>
    public void RequireOnly(params string[] known)
    {
        foreach (var key in Parameters.Keys)
        {
            if (!known.Contains(key))
                throw new RobotLinkException(known.Length == 0
                    ? $"link '{Text}': a {Scheme} link takes no parameters, but '{key}' was given"
                    : $"link '{Text}': unknown parameter '{key}'; a {Scheme} link takes {string.Join(", ", known)}");
        }
    }

    /// <summary>A positive integer parameter, or <paramref name="fallback"/> when it is absent.</summary>
    public int PositiveInteger(string key, int fallback)
    {
        if (!Parameters.TryGetValue(key, out var value)) return fallback;
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0) return number;
        throw new RobotLinkException($"link '{Text}': {key}={value} must be a positive whole number");
    }
}
