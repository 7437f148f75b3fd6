using System.Text;
using Robotics.Training.Checkpoints;
using Robotics.Training.Configuration;
using Robotics.Training.Monitoring;
using Robotics.Training.Runner;
using static Robotics.Training.Tests.Runner.RunnerTestKit;

namespace Robotics.Training.Tests.Monitoring;

public sealed class TensorboardLogTests
{
    [Fact]
    public void Test_reader_checksum_is_the_published_crc32c()
    {
        // The CRC-32C check value from the catalogue of CRC parameters (RFC 3720 uses the same polynomial).
        Assert.Equal(0xE3069283u, TensorboardEventReader.Crc32C(Encoding.ASCII.GetBytes("123456789")));
    }

    [Fact]
    public void Event_files_of_a_run_hold_exactly_the_metrics_csv_values_with_unix_wall_times()
    {
        double before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        string dir = TempRunDir();
        new TrainingRunner(WithTensorboard(), dir, PointMass()).Train(new Quiet(), resume: false);
        double after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;

        var events = TensorboardEventReader.ReadFolder(new RunFolder(dir).Events);
        AssertEventsMatchCsv(events, dir, updates: 4);

        // Mutation guarded: the file_version event stamped with DateTime.Now.Ticks (6.4e17) instead of Unix seconds.
        Assert.Equal("brain.Event:2", events[0].FileVersion);
        Assert.All(events, e => Assert.InRange(e.WallTime, before - 1, after + 1));
        Assert.True(events.Zip(events.Skip(1)).All(p => p.First.WallTime <= p.Second.WallTime), "wall times go backwards");
        // Mutation guarded: wall times rounded to whole seconds (all five falling on a whole second is a 1e-15 chance).
        Assert.Contains(events, e => e.WallTime != Math.Floor(e.WallTime));
    }

    [Fact]
    public void After_a_crash_and_resume_the_event_files_match_the_trimmed_metrics_csv()
    {
        string dir = TempRunDir();
        var config = WithTensorboard();
        // A crash after update 3's row and events are written; the last checkpoint is update 2's.
        var crashing = new TrainingRunner(config, dir, PointMass())
        {
            OnUpdate = m => { if (m["iteration"] == 3) throw new SimulatedCrash(); },
        };
        // The runner saves the state from before the failed update and reports the failure as the cause of its abort.
        var aborted = Assert.Throws<TrainingAbortedException>(() => crashing.Train(new Quiet(), resume: false));
        Assert.IsType<SimulatedCrash>(aborted.InnerException);
        Assert.Equal(3, MetricsCsv.Read(Path.Combine(dir, "metrics.csv")).Count);

        new TrainingRunner(config, dir, PointMass()).Train(new Quiet(), resume: true);

        // Mutation guarded: resume without trimming the event files (update 3 would appear twice, out of order).
        var events = TensorboardEventReader.ReadFolder(new RunFolder(dir).Events);
        AssertEventsMatchCsv(events, dir, updates: 4);
        Assert.Equal(2, Directory.GetFiles(new RunFolder(dir).Events, "events.out.tfevents.*").Length);
    }

    [Fact]
    public void Trimming_keeps_the_whole_records_before_a_torn_one_and_steps_beyond_int32()
    {
        string dir = TempRunDir();
        long big = 5_000_000_000L;
        using (var log = new TensorboardLog(dir))
        {
            for (int i = 1; i <= 3; i++) log.Write(Record(i), big * i);
        }

        // What a crash in the middle of a write leaves: the first bytes of a fourth record.
        string file = Directory.GetFiles(dir).Single();
        File.AppendAllText(file, "\u0040\0\0\0\0\0");

        using (var resumed = new TensorboardLog(dir)) resumed.TruncateAfter(2 * big);

        var events = TensorboardEventReader.ReadFolder(dir);
        // Mutation guarded: steps narrowed to int32 (5e9 would read back as 705032704).
        Assert.Equal([0L, big, 2 * big], events.Select(e => e.Step));
        Assert.Equal([1f, 2f], events.Skip(1).Select(e => e.Scalars.Single(s => s.Tag == "iteration").Value));
    }

    private static TrainingConfig WithTensorboard() => SmallConfig(totalSteps: 4 * 128, checkpointEvery: 2) with
    {
        Monitoring = new MonitoringOptions { Tensorboard = true, Progress = "never" },
    };

    private static MetricRecord Record(int iteration)
    {
        var record = new MetricRecord();
        record["iteration"] = iteration;
        record["losses/value_loss"] = double.NaN;
        return record;
    }

    /// <summary>
    /// Given the run's metrics.csv, then the events after the file_version one are its rows in order, one per update,
    /// at step charts/global_step, each holding every non-empty cell (as float32) and nothing else.
    /// </summary>
    private static void AssertEventsMatchCsv(List<TensorboardEventReader.Event> events, string dir, int updates)
    {
        var rows = MetricsCsv.Read(Path.Combine(dir, "metrics.csv"));
        Assert.Equal(updates, rows.Count);
        var scalarEvents = events.Where(e => e.FileVersion is null).ToList();
        Assert.Equal(rows.Count, scalarEvents.Count);
        for (int i = 0; i < rows.Count; i++)
        {
            Assert.Equal(i + 1, rows[i]["iteration"]);
            Assert.Equal((long)rows[i]["charts/global_step"], scalarEvents[i].Step);
            var expected = rows[i].Where(c => !double.IsNaN(c.Value)).OrderBy(c => c.Key, StringComparer.Ordinal).ToList();
            var actual = scalarEvents[i].Scalars.OrderBy(s => s.Tag, StringComparer.Ordinal).ToList();
            Assert.Equal(expected.Select(c => c.Key), actual.Select(s => s.Tag));
            foreach (var (cell, scalar) in expected.Zip(actual))
            {
                // metrics.csv keeps 9 significant digits of the double; the event keeps a float32.
                Assert.True(Math.Abs(cell.Value - scalar.Value) <= 1e-6 * Math.Max(1, Math.Abs(cell.Value)),
                    $"update {i + 1}, {cell.Key}: csv {cell.Value}, event {scalar.Value}");
            }
        }
    }

    private sealed class SimulatedCrash : Exception;
}
