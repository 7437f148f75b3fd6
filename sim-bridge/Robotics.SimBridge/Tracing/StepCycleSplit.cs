namespace Robotics.SimBridge.Tracing;

/// <summary>
/// A group's period as the sum of its parts, averaged over the periods no longer than three times the median (which
/// leaves out the pauses between rollouts, when the trainer learns): <see cref="ToBridge"/> (send to pick-up),
/// <see cref="AtBridge"/> (pick-up to the reply's send), <see cref="Back"/> (the reply's send to the trainer having
/// it, including any time the reply waited while the trainer served other groups) and <see cref="Turn"/> (the
/// reply in hand to the group's next send: the trainer acting on it). In milliseconds.
/// </summary>
public sealed record StepCycleSplit(int Periods, double Cycle, double ToBridge, double AtBridge, double Back, double Turn)
{
    /// <param name="perClient">Each client's rows in the order it sent them.</param>
    internal static StepCycleSplit? Of(IEnumerable<List<StepTraceAnalysis.Row>> perClient, Dictionary<(string, uint), StepTraceAnalysis.Row> bridges, double medianCycle)
    {
        if (double.IsNaN(medianCycle)) return null;
        int n = 0;
        double toBridge = 0, atBridge = 0, back = 0, turn = 0;
        foreach (var sent in perClient)
        {
            for (int i = 1; i < sent.Count; i++)
            {
                var (c, next) = (sent[i - 1], sent[i]);
                if (Ms(next.T1 - c.T1) > 3 * medianCycle || !bridges.TryGetValue((c.Identity, c.RequestId), out var b)) continue;
                n++;
                toBridge += Ms(b.T1 - c.T1);
                atBridge += Ms(b.T4 - b.T1);
                back += Ms(c.T3 - b.T4);
                turn += Ms(next.T1 - c.T3);
            }
        }

        return n == 0 ? null : new StepCycleSplit(n, (toBridge + atBridge + back + turn) / n, toBridge / n, atBridge / n, back / n, turn / n);
    }

    private static double Ms(long nanoseconds) => nanoseconds / 1e6;
}
