using Robotics.Runtime.Control;
using Robotics.Runtime.Telemetry;

namespace Robotics.Runtime.Deployment;

/// <summary>Runs a control loop on a thread of its own at the highest priority the OS grants.</summary>
public static class ControlThread
{
    /// <param name="realtime">Ask for the real-time FIFO scheduler too; a warning goes to <paramref name="warn"/> when it is refused.</param>
    public static RunSummary Run(ControlLoop loop, bool realtime, CancellationToken cancel = default, Action<string>? warn = null)
    {
        RunSummary? summary = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                if (realtime && RealtimeScheduling.TryEnableForCurrentThread() is { } why)
                    warn?.Invoke($"warning: the control thread runs without real-time priority: {why}");
                summary = loop.Run(cancel);
            }
            catch (Exception e)
            {
                failure = e;
            }
        })
        {
            Name = "control loop",
            Priority = ThreadPriority.Highest,
        };
        thread.Start();
        thread.Join();
        if (failure is not null) throw new InvalidOperationException($"the control loop failed: {failure.Message}", failure);
        return summary!;
    }
}
