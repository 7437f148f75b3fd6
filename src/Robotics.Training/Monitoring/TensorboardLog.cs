using Google.Protobuf;
using Robotics.Training.Monitoring.EventProtos;

namespace Robotics.Training.Monitoring;

/// <summary>
/// TensorBoard event files: one event per update holding every measured metric as a scalar, x = environment steps.
/// Each process writes its own file, named to sort after the folder's earlier ones; a resumed run first trims the
/// earlier files to its checkpoint, as metrics.csv is trimmed, so the charts show one uninterrupted run.
/// </summary>
public sealed class TensorboardLog : IDisposable
{
    private const string FilePrefix = "events.out.tfevents.";
    private readonly string directory;
    private FileStream? file;

    public TensorboardLog(string directory)
    {
        this.directory = directory;
        Directory.CreateDirectory(directory);
    }

    /// <summary>Drops the events past <paramref name="envSteps"/> from the folder's event files (call before the first write).</summary>
    public void TruncateAfter(long envSteps)
    {
        if (file is not null) throw new InvalidOperationException("event files are trimmed before this run writes its own");
        foreach (var path in EventFiles())
        {
            var records = TfRecord.ReadComplete(File.ReadAllBytes(path));
            string temporary = path + ".trim";
            using (var trimmed = new FileStream(temporary, FileMode.Create, FileAccess.Write))
            {
                // Unreadable records are dropped with the ones past the checkpoint; the file_version header is kept.
                foreach (var record in records)
                {
                    if (TryParse(record) is { } e && (e.WhatCase != Event.WhatOneofCase.Summary || e.Step <= envSteps))
                        TfRecord.Write(trimmed, record);
                }
            }

            File.Move(temporary, path, overwrite: true);
        }
    }

    public void Write(MetricRecord record, long envSteps)
    {
        var stream = Open();
        var summary = new Summary();
        foreach (var name in record.Names)
        {
            double v = record[name];
            if (!double.IsNaN(v)) summary.Value.Add(new Summary.Types.Value { Tag = name, SimpleValue = (float)v });
        }

        TfRecord.Write(stream, new Event { WallTime = UnixSecondsNow(), Step = envSteps, Summary = summary }.ToByteArray());
        // Whole records reach the file as they are written: a crash loses at most the one being written.
        stream.Flush();
    }

    public void Dispose() => file?.Dispose();

    /// <summary>This process's event file, created with its file_version header on the first write.</summary>
    private FileStream Open()
    {
        if (file is not null) return file;
        file = new FileStream(NewFilePath(), FileMode.CreateNew, FileAccess.Write);
        TfRecord.Write(file, new Event { WallTime = UnixSecondsNow(), FileVersion = "brain.Event:2" }.ToByteArray());
        return file;
    }

    /// <summary>TensorBoard reads a folder's files in name order: the new file's name sorts after every existing one.</summary>
    private string NewFilePath()
    {
        long seconds = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        string last = EventFiles().Select(Path.GetFileName).LastOrDefault() ?? "";
        string name;
        do name = $"{FilePrefix}{seconds++:D10}.{Environment.MachineName}";
        while (string.CompareOrdinal(name, last) <= 0);
        return Path.Combine(directory, name);
    }

    private IEnumerable<string> EventFiles() =>
        Directory.GetFiles(directory, FilePrefix + "*").Where(p => !p.EndsWith(".trim", StringComparison.Ordinal)).Order(StringComparer.Ordinal);

    private static Event? TryParse(byte[] record)
    {
        try
        {
            return Event.Parser.ParseFrom(record);
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }

    private static double UnixSecondsNow() => (DateTime.UtcNow - DateTime.UnixEpoch).TotalSeconds;
}
