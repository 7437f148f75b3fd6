using Robotics.Training.Monitoring;

namespace Robotics.Training.Tests.Monitoring;

public sealed class MetricsCsvTests
{
    [Fact]
    public void New_metric_widens_the_file_and_earlier_rows_read_it_as_missing()
    {
        string path = Path.Combine(Path.GetTempPath(), $"metrics-{Guid.NewGuid():N}.csv");
        using (var csv = new MetricsCsv(path))
        {
            csv.Append(Record(1, ("charts/sps", 100)));
            csv.Append(Record(2, ("charts/sps", 200), ("episode/final/distance", 0.01)));
        }

        var rows = MetricsCsv.Read(path);
        Assert.Equal(2, rows.Count);
        Assert.True(double.IsNaN(rows[0]["episode/final/distance"]));
        Assert.Equal(0.01, rows[1]["episode/final/distance"]);
        Assert.Equal(200, rows[1]["charts/sps"]);
    }

    [Fact]
    public void Resume_drops_rows_after_the_checkpoint()
    {
        string path = Path.Combine(Path.GetTempPath(), $"metrics-{Guid.NewGuid():N}.csv");
        using (var csv = new MetricsCsv(path))
        {
            for (int i = 1; i <= 5; i++) csv.Append(Record(i, ("charts/sps", i)));
        }

        using (var csv = new MetricsCsv(path))
        {
            csv.TruncateAfter(3);
            csv.Append(Record(4, ("charts/sps", 40)));
        }

        var rows = MetricsCsv.Read(path);
        Assert.Equal([1.0, 2, 3, 4], rows.Select(r => r["iteration"]));
        Assert.Equal(40, rows[3]["charts/sps"]);
    }

    private static MetricRecord Record(int iteration, params (string Name, double Value)[] values)
    {
        var record = new MetricRecord { ["iteration"] = iteration };
        foreach (var (name, value) in values) record[name] = value;
        return record;
    }
}
