using Robotics.Training.Checkpoints;
using Robotics.Training.Configuration;

namespace Robotics.Training.Monitoring;

/// <summary>One evaluation of a run: environment steps, wall-clock seconds since the start, mean deterministic return.</summary>
public readonly record struct EvalPoint(double Steps, double WallSeconds, double Return);

/// <summary>A finished (or stopped) training run as the comparison sees it: what it trained and its evaluations.</summary>
public sealed record ComparedRun(string Folder, string Task, string Algorithm, int Seed, IReadOnlyList<EvalPoint> Evaluations, double Steps, double WallSeconds)
{
    public double FinalReturn => Evaluations[^1].Return;
    public double BestReturn => Evaluations.Max(e => e.Return);

    /// <summary>Evaluations averaged for the smoothed figures: single evaluations of a few episodes are noisy.</summary>
    public const int Window = 5;

    /// <summary>Mean of the last <see cref="Window"/> evaluations (all of them when there are fewer).</summary>
    public double TailMean => Evaluations.Skip(Math.Max(0, Evaluations.Count - Window)).Average(e => e.Return);

    /// <summary>The first evaluation at or above <paramref name="target"/>, if any.</summary>
    public EvalPoint? FirstReaching(double target)
    {
        foreach (var e in Evaluations)
            if (e.Return >= target) return e;
        return null;
    }

    /// <summary>The first evaluation at which the mean of it and the <see cref="Window"/> - 1 before it is at or above <paramref name="target"/>.</summary>
    public EvalPoint? FirstAverageReaching(double target)
    {
        double sum = 0;
        for (int i = 0; i < Evaluations.Count; i++)
        {
            sum += Evaluations[i].Return;
            if (i >= Window) sum -= Evaluations[i - Window].Return;
            if (i >= Window - 1 && sum / Window >= target) return Evaluations[i];
        }

        return null;
    }

    /// <summary>Reads a run folder: its config.yaml (task, algorithm, seed) and the evaluations in its metrics.csv.</summary>
    public static ComparedRun Load(string folder)
    {
        var run = new RunFolder(folder);
        if (!File.Exists(run.Config) || !File.Exists(run.Metrics))
            throw new FileNotFoundException($"{run.Root} is not a run folder: it needs config.yaml and metrics.csv (written by robotics train)");
        var config = TrainingConfigFile.Load(run.Config);
        var rows = MetricsCsv.Read(run.Metrics);
        var evaluations = rows
            .Where(r => Finite(r, "eval/return_mean") && Finite(r, "charts/global_step"))
            .Select(r => new EvalPoint(r["charts/global_step"], r.GetValueOrDefault("perf/wall_seconds", double.NaN), r["eval/return_mean"]))
            .ToList();
        if (evaluations.Count == 0)
            throw new InvalidDataException($"{run.Metrics} has no evaluation yet (eval/return_mean); evaluations are written every evaluation.every_updates updates");
        var last = rows[^1];
        return new ComparedRun(run.Root, config.Task, config.Algorithm, config.Seed, evaluations,
            last.GetValueOrDefault("charts/global_step", double.NaN), last.GetValueOrDefault("perf/wall_seconds", double.NaN));
    }

    private static bool Finite(Dictionary<string, double> row, string key) => row.TryGetValue(key, out var v) && double.IsFinite(v);
}

/// <summary>
/// A comparison row: one run, and when it first reached the reference algorithm's final return on its task, by a
/// single evaluation and by the average of <see cref="ComparedRun.Window"/> evaluations in a row (against the
/// reference's average over its last ones).
/// </summary>
public sealed record ComparisonRow(ComparedRun Run, ReferenceFigures? Reference, EvalPoint? Reached, EvalPoint? AverageReached)
{
    /// <summary>Steps of <paramref name="point"/> as a fraction of the reference runs' steps (mean over their seeds).</summary>
    public double? ShareOfReferenceSteps(EvalPoint? point) => point is { } p && Reference is { Steps: > 0 } r ? p.Steps / r.Steps : null;
}

/// <summary>The reference algorithm on one task, means over its seeds: final evaluation, mean of the last evaluations, steps.</summary>
public sealed record ReferenceFigures(double Final, double TailMean, double Steps, int Seeds);

/// <summary>
/// Runs of several algorithms on the same tasks, side by side: per run its final and best evaluation, and the
/// steps and wall-clock at which it first reached the reference algorithm's final evaluation return (the mean
/// over the reference's seeds on that task).
/// </summary>
public static class RunComparison
{
    public static IReadOnlyList<ComparisonRow> Compare(IEnumerable<ComparedRun> runs, string referenceAlgorithm)
    {
        var list = runs.OrderBy(r => r.Task, StringComparer.Ordinal).ThenBy(r => r.Algorithm == referenceAlgorithm ? 0 : 1)
            .ThenBy(r => r.Algorithm, StringComparer.Ordinal).ThenBy(r => r.Seed).ToList();
        var references = list.Where(r => r.Algorithm == referenceAlgorithm).GroupBy(r => r.Task).ToDictionary(
            g => g.Key, g => new ReferenceFigures(g.Average(r => r.FinalReturn), g.Average(r => r.TailMean), g.Average(r => r.Steps), g.Count()));
        return list.Select(run => references.TryGetValue(run.Task, out var reference)
                ? new ComparisonRow(run, reference, run.FirstReaching(reference.Final), run.FirstAverageReaching(reference.TailMean))
                : new ComparisonRow(run, null, null, null))
            .ToList();
    }

    /// <summary>The rows as a Markdown table.</summary>
    public static string ToMarkdown(IReadOnlyList<ComparisonRow> rows, string referenceAlgorithm)
    {
        const int w = ComparedRun.Window;
        var text = new System.Text.StringBuilder();
        text.AppendLine($"| task | algorithm | seed | final eval | last {w} evals (mean) | best eval | steps | wall s | steps/s | {referenceAlgorithm}: final / last {w} (mean over seeds) " +
                        $"| first eval ≥ {referenceAlgorithm}'s final: steps (share of {referenceAlgorithm}'s), wall s | first {w}-eval average ≥ {referenceAlgorithm}'s last {w}: steps (share), wall s |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var row in rows)
        {
            var r = row.Run;
            string reference = row.Reference is { } f ? Invariant($"{f.Final:F2} / {f.TailMean:F2} ({f.Seeds} seeds)") : "no runs";
            text.AppendLine(Invariant(
                $"| {r.Task} | {r.Algorithm} | {r.Seed} | {r.FinalReturn:F2} | {r.TailMean:F2} | {r.BestReturn:F2} | {r.Steps:F0} | {r.WallSeconds:F0} | {r.Steps / r.WallSeconds:F0} | {reference} | {Reached(row, row.Reached)} | {Reached(row, row.AverageReached)} |"));
        }

        return text.ToString();
    }

    private static string Reached(ComparisonRow row, EvalPoint? point) =>
        row.Reference is null ? "-" : point is { } p ? Invariant($"{p.Steps:F0} ({row.ShareOfReferenceSteps(p) * 100:F0}%), {p.WallSeconds:F0}") : "not reached";

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
