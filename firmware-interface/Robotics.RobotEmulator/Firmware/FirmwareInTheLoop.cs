using Robotics.Contract;
using Robotics.Sim.Tasks;

namespace Robotics.RobotEmulator.Firmware;

/// <summary>
/// Runtime ─serial─► firmware in QEMU ─hardware bus─► MuJoCo plant: builds the robot's firmware image for a
/// board, starts it in QEMU and the plant on its bus UART. <see cref="HostDevicePath"/> is what the runtime opens.
/// Disposing kills QEMU (SIGKILL) whatever state it is in.
/// </summary>
public sealed class FirmwareInTheLoop : IDisposable
{
    private bool disposed;

    private FirmwareInTheLoop(LoadedTask task, string target, string image, QemuBoard board, HardwareBusPlant plant)
    {
        Task = task;
        Target = target;
        Image = image;
        Board = board;
        Plant = plant;
    }

    public LoadedTask Task { get; }

    public RobotContract Contract => Task.RobotContract;

    public string Target { get; }

    /// <summary>The firmware image QEMU runs.</summary>
    public string Image { get; }

    public QemuBoard Board { get; }

    public HardwareBusPlant Plant { get; }

    public string HostDevicePath => Board.HostDevicePath;

    /// <param name="watchdogTimeout">the firmware's watchdog; default 2.5 control periods, as the C# emulator's</param>
    public static FirmwareInTheLoop Start(LoadedTask task, string target, TimeSpan? watchdogTimeout = null, int seed = 0)
    {
        var image = FirmwareImage.Build(task.RobotContract, target, watchdogTimeout);
        var board = QemuBoard.Start(target, image);
        HardwareBusPlant? plant = null;
        try
        {
            plant = new HardwareBusPlant(task, board.BusDevicePath, seed);
            plant.Start();
            return new FirmwareInTheLoop(task, target, image, board, plant);
        }
        catch
        {
            board.Dispose();
            plant?.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        if (disposed)
            return;
        disposed = true;
        // QEMU first: with the emulator gone the plant's bus reads end at once.
        Board.Dispose();
        Plant.Dispose();
    }
}
