using Robotics.RobotEmulator;

namespace Robotics.Cli.Quickstart;

/// <summary>
/// The emulated robot (MuJoCo behind a pseudo-terminal) running in real time on a thread of its own,
/// so that a runtime in this process can drive it through the serial device as it would a real robot.
/// </summary>
public sealed class EmulatedRobot : IDisposable
{
    private readonly CancellationTokenSource cancel = new();
    private readonly Thread thread;
    private Exception? failure;

    /// <param name="robotOrTask">robot or task to emulate (its task decides the initial state), e.g. cartpole-balance</param>
    public EmulatedRobot(string robotOrTask, EmulatorOptions? options = null, string? devicePath = null)
    {
        Emulator = new RobotEmulator.RobotEmulator(EmulatedRobotTask.Load(robotOrTask), devicePath, options);
        Emulator.Start();
        thread = new Thread(() =>
        {
            try
            {
                Emulator.Run(cancel.Token);
            }
            catch (Exception e)
            {
                failure = e;
            }
        })
        {
            IsBackground = true,
            Name = "emulated robot",
            Priority = ThreadPriority.AboveNormal,
        };
        thread.Start();
    }

    public RobotEmulator.RobotEmulator Emulator { get; }

    /// <summary>The pseudo-terminal a host opens.</summary>
    public string DevicePath => Emulator.DevicePath;

    /// <summary>Stops the robot's loop; its counters and status stay readable. Throws if the loop failed.</summary>
    public void Stop()
    {
        cancel.Cancel();
        thread.Join();
        if (failure is not null) throw new InvalidOperationException($"the emulated robot failed: {failure.Message}", failure);
    }

    public void Dispose()
    {
        cancel.Cancel();
        thread.Join();
        Emulator.Dispose();
        cancel.Dispose();
    }
}
