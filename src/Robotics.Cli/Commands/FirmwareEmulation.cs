using Robotics.Contract.CommandLine;
using Robotics.RobotEmulator.Firmware;
using Robotics.Sim.Tasks;

namespace Robotics.Cli.Commands;

/// <summary><c>robotics emulate --firmware TARGET</c>: the robot's firmware in QEMU, MuJoCo on its hardware bus, until Ctrl-C or the duration.</summary>
internal static class FirmwareEmulation
{
    public static int Run(LoadedTask task, string target, TimeSpan? watchdogTimeout, int seed, TimeSpan? duration)
    {
        using var loop = FirmwareInTheLoop.Start(task, target, watchdogTimeout, seed);
        Console.WriteLine(loop.HostDevicePath);
        Console.Out.Flush();
        var contract = task.RobotContract;
        Console.Error.WriteLine(
            $"firmware for {contract.Robot} (task {task.Name}, contract {contract.ShortHash:x16}) on {target} in QEMU (pid {loop.Board.ProcessId}), host link {loop.HostDevicePath}, "
            + $"hardware bus {loop.Board.BusDevicePath} to MuJoCo at {contract.ControlRateHz} Hz; Ctrl-C stops");

        using (var stop = new StopSignal())
        {
            while (!stop.Token.WaitHandle.WaitOne(200))
            {
                if (loop.Board.HasExited)
                    throw new IOException($"QEMU (pid {loop.Board.ProcessId}) exited");
                if (duration is { } limit && loop.Plant.SimulatedSeconds >= limit.TotalSeconds)
                    break;
            }
        }

        loop.Plant.Stop();
        Console.Error.WriteLine(
            $"simulated {loop.Plant.SimulatedSeconds:0.##} s; sensor frames sent {loop.Plant.SensorFramesSent}, actuator frames received {loop.Plant.TargetFramesReceived}, bad frames on the bus {loop.Plant.BadFrames}");
        return 0;
    }
}
