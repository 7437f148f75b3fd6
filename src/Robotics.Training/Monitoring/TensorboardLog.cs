using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Robotics.Training.Monitoring;

/// <summary>TensorBoard event files (TorchSharp's SummaryWriter), one scalar per metric per update, x = environment steps.</summary>
public sealed class TensorboardLog : IDisposable
{
    private readonly SummaryWriter writer;

    public TensorboardLog(string directory)
    {
        Directory.CreateDirectory(directory);
        writer = utils.tensorboard.SummaryWriter(directory, "", false);
    }

    public void Write(MetricRecord record, long envSteps)
    {
        int x = (int)Math.Min(envSteps, int.MaxValue);
        foreach (var name in record.Names)
        {
            double v = record[name];
            if (!double.IsNaN(v)) writer.add_scalar(name, (float)v, x);
        }
    }

    public void Dispose()
    {
        // SummaryWriter writes each event as it is added; nothing is buffered to flush.
    }
}
