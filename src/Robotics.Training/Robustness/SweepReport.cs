using System.Globalization;
using System.Text;
using ScottPlot;

namespace Robotics.Training.Robustness;

/// <summary>A sweep as a table, as JSON-ready values and as a heatmap PNG (success rate and mean return per cell).</summary>
public static class SweepReport
{
    public static string Table(SweepResult sweep)
    {
        var text = new StringBuilder();
        var axes = sweep.Axes;
        text.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"{string.Join("  ", axes.Select(a => $"{a.Key,10}"))}  {"success",8}  {"return",10}  {"length",8}"));
        foreach (var cell in sweep.Cells)
        {
            string keys = string.Join("  ", axes.Select((a, i) => $"{a.Format(cell.Values[i]),10}"));
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{keys}  {cell.SuccessRate * 100,7:F0}%  {cell.Result.MeanReturn,10:F2}  {cell.Result.MeanLength,8:F1}"));
        }
        double worst = sweep.Cells.Min(c => c.SuccessRate);
        double all = sweep.Cells.Average(c => c.SuccessRate);
        text.Append(string.Create(CultureInfo.InvariantCulture,
            $"success over the sweep: {all * 100:F1}% (worst cell {worst * 100:F0}%), {sweep.Episodes} episodes per cell, seed {sweep.Seed}"));
        return text.ToString();
    }

    public static Dictionary<string, object?> Json(SweepResult sweep) => new()
    {
        ["axes"] = sweep.Axes.Select(a => new Dictionary<string, object?> { ["key"] = a.Key, ["values"] = a.Values }).ToList(),
        ["episodes_per_cell"] = sweep.Episodes,
        ["seed"] = sweep.Seed,
        ["success_mean"] = sweep.Cells.Average(c => c.SuccessRate),
        ["success_min"] = sweep.Cells.Min(c => c.SuccessRate),
        ["cells"] = sweep.Cells.Select(c => new Dictionary<string, object?>
        {
            ["values"] = c.Values,
            ["success"] = c.SuccessRate,
            ["return_mean"] = c.Result.MeanReturn,
            ["return_std"] = c.Result.StdReturn,
            ["length_mean"] = c.Result.MeanLength,
            ["stats"] = c.Result.Stats,
        }).ToList(),
    };

    /// <summary>
    /// Two heatmaps side by side, success rate and mean return: with two axes the first runs up and the second
    /// across; with one axis it runs across.
    /// </summary>
    public static void SavePng(SweepResult sweep, string path, string title)
    {
        SweepAxis? rowsAxis = sweep.Axes.Count > 1 ? sweep.Axes[0] : null;
        var columnsAxis = sweep.Axes[^1];
        int rows = rowsAxis?.Values.Count ?? 1, columns = columnsAxis.Values.Count;
        var success = new double[rows, columns];
        var returns = new double[rows, columns];
        for (int i = 0; i < sweep.Cells.Count; i++)
        {
            success[i / columns, i % columns] = sweep.Cells[i].SuccessRate * 100;
            returns[i / columns, i % columns] = sweep.Cells[i].Result.MeanReturn;
        }

        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(rows: 1, columns: 2);
        Draw(multiplot.GetPlot(0), success, rowsAxis, columnsAxis, $"{title}: success %");
        Draw(multiplot.GetPlot(1), returns, rowsAxis, columnsAxis, $"{title}: mean return");
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        multiplot.SavePng(path, 1600, rowsAxis is null ? 400 : 700);
    }

    private static void Draw(Plot plot, double[,] values, SweepAxis? rowsAxis, SweepAxis columnsAxis, string title)
    {
        int rows = values.GetLength(0), columns = values.GetLength(1);
        // The extent places the centres of the corner cells, so a single row or column is drawn twice around
        // its centre. Row 0 of the array is drawn at the top; flip it so the first value sits at the bottom.
        int drawnRows = Math.Max(rows, 2), drawnColumns = Math.Max(columns, 2);
        var image = new double[drawnRows, drawnColumns];
        for (int r = 0; r < drawnRows; r++)
            for (int c = 0; c < drawnColumns; c++)
                image[drawnRows - 1 - r, c] = values[Math.Min(r, rows - 1), Math.Min(c, columns - 1)];
        var heatmap = plot.Add.Heatmap(image);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.Extent = new CoordinateRect(
            columns > 1 ? 0 : -0.5, columns > 1 ? columns - 1 : 0.5,
            rows > 1 ? 0 : -0.5, rows > 1 ? rows - 1 : 0.5);
        plot.Add.ColorBar(heatmap);
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                var label = plot.Add.Text(values[r, c].ToString("F0", CultureInfo.InvariantCulture), c, r);
                label.LabelAlignment = Alignment.MiddleCenter;
                label.LabelFontColor = Colors.White;
                label.LabelFontSize = 14;
            }
        }
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, columns).Select(c => (double)c).ToArray(), columnsAxis.Values.Select(columnsAxis.Format).ToArray());
        plot.XLabel(columnsAxis.Key);
        if (rowsAxis is not null)
        {
            plot.Axes.Left.SetTicks(Enumerable.Range(0, rows).Select(r => (double)r).ToArray(), rowsAxis.Values.Select(rowsAxis.Format).ToArray());
            plot.YLabel(rowsAxis.Key);
        }
        else
        {
            plot.Axes.Left.SetTicks([0.0], [""]);
        }
        plot.Title(title, size: 14);
        plot.Axes.SetLimits(-0.5, columns - 0.5, -0.5, rows - 0.5);
    }
}
