using System.Globalization;
using Robotics.Contract.Timing;

namespace Robotics.SimBridge.Tracing;

/// <summary>
/// Where the time of a Step round trip goes, from the rows both ends wrote (<see cref="StepTrace"/>), joined on
/// the client's identity and the request id. Medians over the joined requests, in milliseconds:
/// <list type="bullet">
/// <item><see cref="ToBridge"/>: from the client's send to the bridge picking the request up (the way there, a
/// delay proxy's hold included, and any wait behind other requests the bridge was serving).</item>
/// <item><see cref="BeforeStep"/>, <see cref="Step"/>, <see cref="AfterStep"/>: decoding, stepping, encoding and
/// sending inside the bridge.</item>
/// <item><see cref="ToClient"/>: from the bridge's send to the client having the reply, over requests whose client
/// was already waiting (otherwise the reply waited for the client, which is the client's time, not the way's).</item>
/// <item><see cref="ClientWait"/>: the client blocked on the reply; <see cref="Cycle"/>: between two sends of one
/// client (one group's period).</item>
/// <item><see cref="BridgeBusyShare"/>: the part of its time each bridge spent stepping, averaged over the bridges.</item>
/// <item><see cref="Split"/>: one group's period cut into parts that add up to it (means, not medians).</item>
/// </list>
/// </summary>
public sealed record StepTraceAnalysis(
    int Requests, double ToBridge, double BeforeStep, double Step, double AfterStep, double ToClient, double ClientWait, double Cycle,
    double BridgeBusyShare, StepCycleSplit? Split = null)
{
    internal readonly record struct Row(string Identity, uint RequestId, long T1, long T2, long T3, long T4);

    /// <summary>
    /// Joins <paramref name="clientLines"/> (one process's client rows) with the rows of each bridge in
    /// <paramref name="bridgeFiles"/> (one list of lines per bridge process); null when no request joins.
    /// </summary>
    public static StepTraceAnalysis? Analyze(IEnumerable<string> clientLines, IEnumerable<IEnumerable<string>> bridgeFiles)
    {
        var clients = Parse(clientLines, "client").ToList();
        var identities = clients.Select(c => c.Identity).ToHashSet();
        var perBridge = bridgeFiles.Select(lines => Parse(lines, "bridge").Where(r => identities.Contains(r.Identity)).ToList()).Where(l => l.Count > 0).ToList();
        var bridges = new Dictionary<(string, uint), Row>();
        foreach (var row in perBridge.SelectMany(l => l)) bridges[(row.Identity, row.RequestId)] = row;

        var toBridge = new List<double>();
        var before = new List<double>();
        var step = new List<double>();
        var after = new List<double>();
        var toClient = new List<double>();
        var wait = new List<double>();
        foreach (var c in clients)
        {
            wait.Add(Ms(c.T3 - c.T2));
            if (!bridges.TryGetValue((c.Identity, c.RequestId), out var b)) continue;
            toBridge.Add(Ms(b.T1 - c.T1));
            before.Add(Ms(b.T2 - b.T1));
            step.Add(Ms(b.T3 - b.T2));
            after.Add(Ms(b.T4 - b.T3));
            if (c.T2 <= b.T4) toClient.Add(Ms(c.T3 - b.T4));
        }

        if (toBridge.Count == 0) return null;
        // Each client's requests in the order it sent them: a period runs from one send to the next.
        var perClient = clients.GroupBy(c => c.Identity).Select(g => g.OrderBy(r => r.T1).ToList()).ToList();
        var cycles = new List<double>();
        foreach (var sent in perClient)
        {
            for (int i = 1; i < sent.Count; i++) cycles.Add(Ms(sent[i].T1 - sent[i - 1].T1));
        }

        double cycle = cycles.Count > 0 ? Medians.Of(cycles) : double.NaN;

        // Each bridge's stepping over the span of its joined requests (one stepping thread per bridge process).
        double busy = perBridge.Average(rows =>
        {
            double span = Ms(rows.Max(r => r.T4) - rows.Min(r => r.T1));
            return span > 0 ? rows.Sum(r => Ms(r.T3 - r.T2)) / span : 0;
        });
        return new StepTraceAnalysis(toBridge.Count, Medians.Of(toBridge), Medians.Of(before), Medians.Of(step), Medians.Of(after),
            toClient.Count > 0 ? Medians.Of(toClient) : double.NaN, Medians.Of(wait), cycle, busy, StepCycleSplit.Of(perClient, bridges, cycle));
    }

    private static IEnumerable<Row> Parse(IEnumerable<string> lines, string role)
    {
        foreach (string line in lines)
        {
            var parts = line.Split(',');
            if (parts.Length != 7 || parts[0] != role) continue;
            if (!uint.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out uint id)) continue;
            if (!long.TryParse(parts[3], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long t1)
                || !long.TryParse(parts[4], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long t2)
                || !long.TryParse(parts[5], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long t3)
                || !long.TryParse(parts[6], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long t4)) continue;
            yield return new Row(parts[1], id, t1, t2, t3, t4);
        }
    }

    private static double Ms(long nanoseconds) => nanoseconds / 1e6;
}
