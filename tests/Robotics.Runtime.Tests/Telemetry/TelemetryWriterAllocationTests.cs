using Robotics.Runtime.Control;
using Robotics.Runtime.Telemetry;

namespace Robotics.Runtime.Tests.Telemetry;

/// <summary>Tests that count every thread's allocations, so nothing else of this assembly may run beside them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunsAloneCollection
{
    public const string Name = "runs alone";
}

[Collection(RunsAloneCollection.Name)]
public sealed class TelemetryWriterAllocationTests : IDisposable
{
    private const int Rows = 20_000;
    private readonly string file = Path.Combine(Path.GetTempPath(), $"robotics-telemetry-{Guid.NewGuid():N}.csv");

    public void Dispose() => File.Delete(file);

    /// <summary>
    /// The writer thread's allocations are every thread's (GC.GetTotalAllocatedBytes, precise) less the test
    /// thread's. Mutation guarded: a row formatted through strings (value.ToString(format)), which costs at least
    /// 24 bytes per field; the bound, under one byte per row, leaves room for the test host's own threads only.
    /// </summary>
    [Fact]
    public void The_writer_thread_formats_and_writes_rows_without_allocating()
    {
        using var telemetry = new TelemetryWriter(file, ["hip_motor", "knee_motor"], capacity: 1 << 16);
        float[] command = [0.25f, -1.5f];
        for (int i = 0; i < 2000; i++) telemetry.Record(Tick(i), command); // compiles and tiers up the writer's code
        WaitForRows(2000);
        Thread.Sleep(300);

        long everyThreadBefore = GC.GetTotalAllocatedBytes(precise: true);
        long thisThreadBefore = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 2000; i < 2000 + Rows; i++)
        {
            command[0] = i * 1e-4f;
            telemetry.Record(Tick(i), command);
        }

        WaitForRows(2000 + Rows);
        long others = GC.GetTotalAllocatedBytes(precise: true) - everyThreadBefore - (GC.GetAllocatedBytesForCurrentThread() - thisThreadBefore);

        Assert.Equal(0, telemetry.Dropped);
        Assert.True(others < Rows, $"other threads allocated {others} bytes while the writer wrote {Rows} rows");
    }

    private static TickRecord Tick(int i) => new()
    {
        Tick = i,
        TimeSeconds = i * 1e-3,
        PeriodErrorMicros = i % 17,
        InferenceMicros = 40.5f,
        WorkMicros = 60.25f,
        StateAgeMicros = 800,
        StateSequence = (uint)i,
        Phase = LoopPhase.Running,
    };

    /// <summary>Waits until the file holds the header and <paramref name="rows"/> rows (the writer flushes after each batch).</summary>
    private void WaitForRows(int rows)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (CountLines() < rows + 1)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the writer wrote {CountLines() - 1} of {rows} rows in 30 s");
            Thread.Sleep(20);
        }
    }

    private int CountLines()
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var buffer = new byte[1 << 16];
        int lines = 0, read;
        while ((read = stream.Read(buffer)) > 0) lines += buffer.AsSpan(0, read).Count((byte)'\n');
        return lines;
    }
}
