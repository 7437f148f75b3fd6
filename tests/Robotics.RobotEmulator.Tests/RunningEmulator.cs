using Robotics.Sim.Tasks;

namespace Robotics.RobotEmulator.Tests;

/// <summary>An emulator running on a background thread for the length of a test.</summary>
internal sealed class RunningEmulator : IDisposable
{
    private readonly CancellationTokenSource cancel = new();
    private readonly Thread thread;

    public RunningEmulator(string task, string? devicePath = null, EmulatorOptions? options = null)
    {
        Emulator = new RobotEmulator(TaskCatalog.Load(task), devicePath, options);
        Emulator.Start();
        thread = new Thread(() => Emulator.Run(cancel.Token)) { IsBackground = true };
        thread.Start();
    }

    public RobotEmulator Emulator { get; }

    public void Dispose()
    {
        cancel.Cancel();
        thread.Join();
        Emulator.Dispose();
    }
}

internal static class Eventually
{
    /// <summary>Polls until <paramref name="condition"/> holds; the limit only bounds a failing test.</summary>
    public static void True(Func<bool> condition, string what, double seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"timed out waiting until {what}");
            Thread.Sleep(5);
        }
    }
}
