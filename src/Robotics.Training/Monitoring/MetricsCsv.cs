using System.Globalization;

namespace Robotics.Training.Monitoring;

/// <summary>
/// metrics.csv: one row per update, a fixed column set (the first record's names). A resumed run first
/// drops rows past its checkpoint, so the file reads as one uninterrupted run.
/// </summary>
public sealed class MetricsCsv : IDisposable
{
    private readonly string path;
    private StreamWriter? writer;
    private IReadOnlyList<string>? columns;

    public MetricsCsv(string path) => this.path = path;

    /// <summary>Keeps the header and the rows whose iteration is at most <paramref name="iteration"/>.</summary>
    public void TruncateAfter(int iteration)
    {
        if (!File.Exists(path)) return;
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0) return;
        var header = lines[0].Split(',');
        int column = Array.IndexOf(header, "iteration");
        var kept = lines.Take(1).Concat(lines.Skip(1).Where(l =>
            column >= 0 && int.TryParse(l.Split(',')[column], CultureInfo.InvariantCulture, out int it) && it <= iteration));
        File.WriteAllLines(path, kept);
        columns = header;
    }

    public void Append(MetricRecord record)
    {
        if (writer is null)
        {
            bool exists = File.Exists(path) && new FileInfo(path).Length > 0;
            if (exists) columns ??= File.ReadLines(path).First().Split(',');
            writer = new StreamWriter(path, append: true) { AutoFlush = true };
            if (!exists)
            {
                columns = record.Names.ToList();
                writer.WriteLine(string.Join(',', columns));
            }
        }

        // Task statistics appear with the first episode that reports them: widen the file once.
        var added = record.Names.Where(n => !columns!.Contains(n)).ToList();
        if (added.Count > 0) Widen(added);
        writer.WriteLine(string.Join(',', columns!.Select(c => Format(record.GetOrNaN(c)))));
    }

    private void Widen(List<string> added)
    {
        writer!.Dispose();
        var lines = File.ReadAllLines(path);
        columns = columns!.Concat(added).ToList();
        var widened = new List<string> { string.Join(',', columns) };
        widened.AddRange(lines.Skip(1).Select(l => l + new string(',', added.Count)));
        File.WriteAllLines(path, widened);
        writer = new StreamWriter(path, append: true) { AutoFlush = true };
    }

    public static List<Dictionary<string, double>> Read(string path)
    {
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0) return new();
        var header = lines[0].Split(',');
        return lines.Skip(1).Where(l => l.Length > 0).Select(l =>
        {
            var cells = l.Split(',');
            var row = new Dictionary<string, double>();
            for (int i = 0; i < header.Length && i < cells.Length; i++)
                row[header[i]] = double.TryParse(cells[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN;
            return row;
        }).ToList();
    }

    public void Dispose() => writer?.Dispose();

    private static string Format(double v) => double.IsNaN(v) ? "" : v.ToString("G9", CultureInfo.InvariantCulture);
}
