using ScottPlot;

namespace Robotics.Training.Monitoring;

/// <summary>
/// PNG charts of runs side by side, one file per task: evaluation return against environment steps and against
/// wall-clock seconds, one colour per algorithm, one line per seed.
/// </summary>
public static class ComparisonPlots
{
    private static readonly Color[] Palette = [Colors.SteelBlue, Colors.OrangeRed, Colors.SeaGreen, Colors.Purple, Colors.DarkOrange, Colors.Gray];

    /// <summary>Writes <c>TASK.png</c> per task into <paramref name="outputDir"/>; returns their paths.</summary>
    public static IReadOnlyList<string> Draw(IReadOnlyList<ComparedRun> runs, string outputDir)
    {
        Directory.CreateDirectory(outputDir);
        var algorithms = runs.Select(r => r.Algorithm).Distinct().Order(StringComparer.Ordinal).ToList();
        var paths = new List<string>();
        foreach (var task in runs.GroupBy(r => r.Task).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var multiplot = new Multiplot();
            multiplot.AddPlots(2);
            multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
            var bySteps = multiplot.GetPlot(0);
            var byWall = multiplot.GetPlot(1);
            foreach (var group in task.GroupBy(r => r.Algorithm))
            {
                var color = Palette[algorithms.IndexOf(group.Key) % Palette.Length];
                bool first = true;
                foreach (var run in group.OrderBy(r => r.Seed))
                {
                    var steps = bySteps.Add.ScatterLine(run.Evaluations.Select(e => e.Steps).ToArray(), run.Evaluations.Select(e => e.Return).ToArray());
                    var wall = byWall.Add.ScatterLine(run.Evaluations.Select(e => e.WallSeconds).ToArray(), run.Evaluations.Select(e => e.Return).ToArray());
                    foreach (var line in new[] { steps, wall })
                    {
                        line.Color = color;
                        line.LineWidth = 1.5f;
                        line.MarkerSize = 3;
                        if (first) line.LegendText = $"{group.Key} ({group.Count()} seeds)";
                    }

                    first = false;
                }
            }

            bySteps.Title($"{task.Key}: evaluation return against environment steps", size: 13);
            bySteps.XLabel("environment steps");
            bySteps.YLabel("evaluation return (deterministic)");
            bySteps.ShowLegend(Alignment.LowerRight);
            byWall.Title($"{task.Key}: against wall-clock", size: 13);
            byWall.XLabel("seconds");
            byWall.YLabel("evaluation return (deterministic)");
            byWall.ShowLegend(Alignment.LowerRight);

            string path = Path.Combine(outputDir, $"{task.Key}.png");
            multiplot.SavePng(path, 1600, 600);
            paths.Add(path);
        }

        return paths;
    }
}
