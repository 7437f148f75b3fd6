using System.Globalization;
using System.Text.RegularExpressions;
using Robotics.Contract.Environments;

namespace Robotics.Training.Runner;

/// <summary>
/// What makes an evaluation episode a success, as a bound on one of its task statistics: <c>final/distance&lt;0.02</c>
/// (the reacher ends within 2 cm), <c>final/height&gt;0.8</c>. The share of successful episodes is what a return hides.
/// </summary>
public sealed partial record SuccessCriterion(string Statistic, bool Below, double Bound)
{
    public static SuccessCriterion Parse(string text)
    {
        var match = Pattern().Match(text);
        if (!match.Success || !double.TryParse(match.Groups[3].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double bound))
            throw new FormatException($"'{text}' is not a success criterion: write STATISTIC<VALUE or STATISTIC>VALUE, e.g. final/distance<0.02");
        return new SuccessCriterion(match.Groups[1].Value, match.Groups[2].Value == "<", bound);
    }

    /// <summary>The share of <paramref name="episodes"/> whose statistic is strictly beyond the bound.</summary>
    public double Share(IReadOnlyList<EpisodeRecord> episodes)
    {
        var values = episodes.Select(e => e.Stats is not null && e.Stats.TryGetValue(Statistic, out double v) ? v : (double?)null).ToList();
        if (values.Any(v => v is null))
        {
            var known = episodes.Where(e => e.Stats is not null).SelectMany(e => e.Stats!.Keys).Distinct().Order(StringComparer.Ordinal);
            throw new InvalidDataException($"the episodes have no statistic '{Statistic}'; they have: {string.Join(", ", known)}");
        }

        return values.Count(v => Below ? v < Bound : v > Bound) / (double)values.Count;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Statistic}{(Below ? "<" : ">")}{Bound}");

    [GeneratedRegex(@"^\s*([A-Za-z0-9_/.\-]+)\s*([<>])\s*(\S+)\s*$")]
    private static partial Regex Pattern();
}
