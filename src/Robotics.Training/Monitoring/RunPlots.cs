using ScottPlot;

namespace Robotics.Training.Monitoring;

/// <summary>
/// PNG charts of a run from its metrics.csv: the learning curve (episode returns with their range and the
/// deterministic evaluations) and a grid of the diagnostics a practitioner checks first.
/// </summary>
public static class RunPlots
{
    private static readonly (string Metric, string Title)[] Diagnostics =
    [
        ("losses/approx_kl", "approximate KL"),
        ("losses/clipfrac", "clip fraction"),
        ("losses/entropy", "policy entropy"),
        ("policy/log_std_mean", "log std (mean)"),
        ("losses/explained_variance", "explained variance"),
        ("losses/value_loss", "value loss"),
        ("losses/policy_loss", "policy loss"),
        ("losses/grad_norm", "grad norm (before clipping)"),
        ("charts/learning_rate", "learning rate"),
        ("charts/sps", "steps per second"),
        ("perf/learn_fraction", "share of time learning"),
        ("charts/episode_length_mean", "episode length"),
    ];

    /// <summary>Writes learning_curve.png and diagnostics.png into <paramref name="outputDir"/>; returns their paths.</summary>
    public static IReadOnlyList<string> Draw(string metricsCsv, string outputDir)
    {
        if (!File.Exists(metricsCsv)) throw new FileNotFoundException($"{metricsCsv} does not exist; is this a run folder?");
        var rows = MetricsCsv.Read(metricsCsv);
        if (rows.Count == 0) throw new InvalidDataException($"{metricsCsv} has no updates yet");
        Directory.CreateDirectory(outputDir);

        string curve = Path.Combine(outputDir, "learning_curve.png");
        LearningCurve(rows).SavePng(curve, 1000, 600);

        string diagnostics = Path.Combine(outputDir, "diagnostics.png");
        var multiplot = new Multiplot();
        multiplot.AddPlots(Diagnostics.Length);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(rows: 4, columns: 3);
        for (int i = 0; i < Diagnostics.Length; i++)
        {
            var plot = multiplot.GetPlot(i);
            var (xs, ys) = Series(rows, Diagnostics[i].Metric);
            if (xs.Length > 0) plot.Add.ScatterLine(xs, ys);
            plot.Title(Diagnostics[i].Title, size: 12);
            plot.XLabel("environment steps", size: 10);
        }

        multiplot.SavePng(diagnostics, 1500, 1200);
        return [curve, diagnostics];
    }

    private static Plot LearningCurve(List<Dictionary<string, double>> rows)
    {
        var plot = new Plot();
        var (x, mean) = Series(rows, "charts/episode_return_mean");
        var (xMin, min) = Series(rows, "charts/episode_return_min");
        var (xMax, max) = Series(rows, "charts/episode_return_max");
        if (xMin.Length > 0 && xMin.Length == xMax.Length)
        {
            var band = plot.Add.FillY(xMin, max, min);
            band.FillColor = Colors.SteelBlue.WithAlpha(0.2);
            band.LegendText = "episode return min-max";
        }

        if (x.Length > 0)
        {
            var line = plot.Add.ScatterLine(x, mean);
            line.Color = Colors.SteelBlue;
            line.LineWidth = 2;
            line.LegendText = "episode return (mean, stochastic policy)";
        }

        var (xe, eval) = Series(rows, "eval/return_mean");
        if (xe.Length > 0)
        {
            var points = plot.Add.Scatter(xe, eval);
            points.Color = Colors.OrangeRed;
            points.MarkerSize = 7;
            points.LegendText = "evaluation return (deterministic)";
        }

        plot.Title("learning curve");
        plot.XLabel("environment steps");
        plot.YLabel("return");
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }

    /// <summary>(global step, value) pairs where the value was measured.</summary>
    private static (double[] X, double[] Y) Series(List<Dictionary<string, double>> rows, string metric)
    {
        var pairs = rows
            .Where(r => r.TryGetValue(metric, out var v) && double.IsFinite(v) && r.TryGetValue("charts/global_step", out var s) && double.IsFinite(s))
            .Select(r => (r["charts/global_step"], r[metric]))
            .ToArray();
        return (pairs.Select(p => p.Item1).ToArray(), pairs.Select(p => p.Item2).ToArray());
    }
}
