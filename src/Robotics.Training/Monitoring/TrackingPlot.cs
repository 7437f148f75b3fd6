using System.Globalization;
using ScottPlot;

namespace Robotics.Training.Monitoring;

/// <summary>
/// Commanded against achieved velocity, from a deployment: the operator's command the policy observed (the
/// telemetry's <c>operator_*</c> columns, written by <c>run</c>) and the base's true motion (the CSV written by
/// <c>sim:ROBOT?truth=FILE</c> or <c>emulate --truth FILE</c>), forward, sideways and yaw rate over time. The two
/// clocks are aligned at the start: the truth log begins when the robot is released at the handshake, the
/// telemetry at the first command, milliseconds later.
/// </summary>
public static class TrackingPlot
{
    private static readonly (string Command, string Truth, string Title, string Unit)[] Panels =
    [
        ("forward", "forward_mps", "forward velocity", "m/s"),
        ("sideways", "sideways_mps", "sideways velocity", "m/s"),
        ("yaw_rate", "yaw_rate_radps", "yaw rate", "rad/s"),
    ];

    /// <summary>Writes <paramref name="png"/>; throws <see cref="InvalidDataException"/> naming the file and what it lacks.</summary>
    public static void Draw(string telemetryCsv, string truthCsv, string png)
    {
        var telemetry = ReadColumns(telemetryCsv);
        var truth = ReadColumns(truthCsv);
        var time = Column(telemetry, "time_s", telemetryCsv);
        var truthTime = Column(truth, "time_s", truthCsv);
        double start = truthTime.Length > 0 ? truthTime[0] : 0;
        var truthSeconds = truthTime.Select(t => t - start).ToArray();
        double end = time.Length > 0 ? time[^1] : 0;
        int shown = Array.FindLastIndex(truthSeconds, t => t <= end) + 1;

        var multiplot = new Multiplot();
        multiplot.AddPlots(Panels.Length);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(rows: Panels.Length, columns: 1);
        for (int i = 0; i < Panels.Length; i++)
        {
            var (command, achieved, title, unit) = Panels[i];
            var plot = multiplot.GetPlot(i);
            var commanded = telemetry.Keys.FirstOrDefault(k => k.StartsWith("operator_", StringComparison.Ordinal) && k.EndsWith("_" + command, StringComparison.Ordinal))
                ?? throw new InvalidDataException($"{telemetryCsv} has no operator_*_{command} column: was the policy given a velocity command with a '{command}' component?");
            var c = plot.Add.ScatterLine(time, Column(telemetry, commanded, telemetryCsv));
            c.LegendText = "commanded";
            c.LineWidth = 2;
            var a = plot.Add.ScatterLine(truthSeconds[..shown], Column(truth, achieved, truthCsv)[..shown]);
            a.LegendText = "achieved (simulation's truth)";
            plot.Title(title, size: 13);
            plot.YLabel(unit, size: 11);
            plot.XLabel("seconds", size: 11);
            plot.ShowLegend(Alignment.UpperRight);
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(png));
        if (folder is not null) Directory.CreateDirectory(folder);
        multiplot.SavePng(png, 1200, 1000);
    }

    private static Dictionary<string, List<double>> ReadColumns(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} does not exist");
        using var reader = new StreamReader(path);
        var header = reader.ReadLine()?.Split(',') ?? throw new InvalidDataException($"{path} is empty");
        var columns = header.ToDictionary(h => h, _ => new List<double>());
        int line = 1;
        while (reader.ReadLine() is { } text)
        {
            line++;
            var cells = text.Split(',');
            for (int i = 0; i < header.Length && i < cells.Length; i++)
                columns[header[i]].Add(double.TryParse(cells[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN);
        }

        return columns;
    }

    private static double[] Column(Dictionary<string, List<double>> columns, string name, string path) =>
        columns.TryGetValue(name, out var values) ? values.ToArray()
            : throw new InvalidDataException($"{path} has no column '{name}'; expected a telemetry CSV written by 'run --telemetry' and a truth CSV written by 'sim:ROBOT?truth=' or 'emulate --truth'");
}
