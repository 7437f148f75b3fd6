using System.CommandLine;
using Robotics.Contract.CommandLine;
using Robotics.FirmwareInterface.Transport;
using Robotics.RobotEmulator;
using Robotics.RobotEmulator.Firmware;
using Robotics.Runtime.Transport;

namespace Robotics.Cli.Commands;

/// <summary>
/// <c>robotics emulate --robot ROBOT [--port PATH]</c>: a robot as its firmware presents it over a serial line,
/// with MuJoCo as the robot, and optional faults; or, with <c>--firmware TARGET</c>, the C firmware in QEMU with
/// MuJoCo on its hardware bus. Prints the device path first, so scripts can read it. The emulated robot holds its
/// initial state until the linked host's first active command unless <c>--free-run</c>.
/// </summary>
internal static class EmulateCommand
{
    public static Command Create()
    {
        var robot = new Option<string>("--robot") { Description = "robot (or task) to emulate: a name, e.g. cartpole or cartpole-balance, or the path of a robot or task .yaml file", Required = true };
        var port = new Option<string?>("--port")
        {
            Description = "an existing serial device under /dev to use, or a path where a link to a new pseudo-terminal is made (default: the pseudo-terminal's own name)",
        };
        var duration = new Option<double?>("--duration") { Description = "stop after this many seconds (default: run until Ctrl-C)" };
        var baud = new Option<int>("--baud") { Description = "the firmware's baud rate; a host that opens the pseudo-terminal at another rate sees noise, as on a real line", DefaultValueFactory = _ => new EmulatorOptions().BaudRate };
        var seed = new Option<int>("--seed") { Description = "seed of the initial state and of the injected faults", DefaultValueFactory = _ => 0 };
        var lockstep = new Option<bool>("--lockstep") { Description = "step only when the host has answered the latest state (simulated time, deterministic runs for CI) instead of in real time" };
        var freeRun = new Option<bool>("--free-run") { Description = "let the physics run from the start instead of holding the robot in its initial state until the linked host's first active command" };
        var truth = new Option<string?>("--truth") { Description = "write the base's true velocity over the ground, yaw rate, height and tilt each control period to this CSV (what a real robot cannot report)" };
        var watchdog = new Option<double?>("--watchdog-ms") { Description = "firmware watchdog timeout in ms (default: 2.5 control periods)" };
        var drop = new Option<double>("--drop-rate") { Description = "probability that a frame from the robot is not sent" };
        var corrupt = new Option<double>("--corrupt-rate") { Description = "probability that a frame from the robot has one bit flipped" };
        var delay = new Option<double>("--delay-rate") { Description = "probability that a frame from the robot is held back by --delay-ms" };
        var commandDrop = new Option<double>("--command-drop-rate") { Description = "probability that a command frame from the host is lost on the way in (the robot's count of commands received tells the host)" };
        var delayMs = new Option<double>("--delay-ms") { Description = "how long delayed frames are held back", DefaultValueFactory = _ => new FaultInjectionOptions().Delay.TotalMilliseconds };
        var disconnectAt = new Option<double?>("--disconnect-at") { Description = "the device vanishes this many seconds after the start" };
        var reconnectAfter = new Option<double?>("--reconnect-after") { Description = "and comes back at the same path this many seconds later (needs --port PATH for a stable path)" };
        var stuckJoint = new Option<string?>("--stuck-joint") { Description = "joint whose position and velocity readings freeze" };
        var stuckAt = new Option<double>("--stuck-at") { Description = "when the sensor freezes, seconds after the start" };
        var firmware = new Option<string?>("--firmware")
        {
            Description = $"run the C firmware for this board in QEMU instead ({string.Join(", ", FirmwareTarget.Known)}), with MuJoCo answering on its hardware bus",
        };
        var command = new Command("emulate", "Emulate a robot's firmware behind a pseudo-terminal, with MuJoCo as the robot.")
        {
            robot, port, duration, baud, seed, lockstep, freeRun, truth, watchdog, drop, corrupt, delay, delayMs, commandDrop, disconnectAt, reconnectAfter, stuckJoint, stuckAt, firmware,
        };
        command.SetAction(parse => CliErrors.Known.Run("robotics emulate", () =>
        {
            var task = EmulatedRobotTask.Load(parse.GetValue(robot)!);
            var watchdogTimeout = parse.GetValue(watchdog) is { } milliseconds ? TimeSpan.FromMilliseconds(milliseconds) : (TimeSpan?)null;
            if (parse.GetValue(firmware) is { } target)
            {
                var emulatorOnly = new Option[] { port, lockstep, freeRun, truth, drop, corrupt, delay, commandDrop, disconnectAt, reconnectAfter, stuckJoint, stuckAt }
                    .Where(o => parse.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToList();
                if (emulatorOnly.Count > 0)
                    throw new ArgumentException($"{string.Join(", ", emulatorOnly)}: for the C# emulator only; with --firmware the firmware in QEMU applies its own rules, so leave {(emulatorOnly.Count == 1 ? "it" : "them")} out");
                return FirmwareEmulation.Run(task, FirmwareTarget.Check(target), watchdogTimeout, parse.GetValue(seed), Seconds(parse.GetValue(duration)));
            }

            var joints = task.RobotContract.Joints;
            int? stuckIndex = null;
            if (parse.GetValue(stuckJoint) is { } stuckName)
            {
                var index = joints.ToList().FindIndex(j => j.Name == stuckName);
                stuckIndex = index >= 0 ? index
                    : throw new ArgumentException($"robot '{task.RobotContract.Robot}' has no joint '{stuckName}'; joints: {string.Join(", ", joints.Select(j => j.Name))}");
            }

            var options = new EmulatorOptions
            {
                Seed = parse.GetValue(seed),
                BaudRate = parse.GetValue(baud),
                Lockstep = parse.GetValue(lockstep),
                FreeRun = parse.GetValue(freeRun),
                TruthPath = parse.GetValue(truth),
                WatchdogTimeout = watchdogTimeout,
                Faults = new FaultInjectionOptions
                {
                    DropRate = parse.GetValue(drop),
                    CorruptRate = parse.GetValue(corrupt),
                    DelayRate = parse.GetValue(delay),
                    Delay = TimeSpan.FromMilliseconds(parse.GetValue(delayMs)),
                    CommandDropRate = parse.GetValue(commandDrop),
                    DisconnectAt = Seconds(parse.GetValue(disconnectAt)),
                    ReconnectAfter = Seconds(parse.GetValue(reconnectAfter)),
                    StuckJoint = stuckIndex,
                    StuckSensorAt = TimeSpan.FromSeconds(parse.GetValue(stuckAt)),
                },
            };
            return Run(task, parse.GetValue(port), options, Seconds(parse.GetValue(duration)));
        }));
        return command;
    }

    private static int Run(Sim.Tasks.LoadedTask task, string? port, EmulatorOptions options, TimeSpan? duration)
    {
        using var emulator = new RobotEmulator.RobotEmulator(task, port, options);
        emulator.Start();
        Console.WriteLine(emulator.DevicePath);
        Console.Out.Flush();
        var contract = task.RobotContract;
        Console.Error.WriteLine(
            $"emulating {contract.Robot} (task {task.Name}, contract {contract.ShortHash:x16}) at {contract.ControlRateHz} Hz on {emulator.DevicePath} ({options.BaudRate} baud); Ctrl-C stops");

        using (var stop = new StopSignal())
        {
            emulator.Run(stop.Token, duration);
        }

        var faults = emulator.Faults;
        Console.Error.WriteLine(
            $"simulated {emulator.SimulatedSeconds:0.##} s; frames sent {faults.FramesSent}, dropped {faults.FramesDropped}, corrupted {faults.FramesCorrupted}, delayed {faults.FramesDelayed}; "
            + $"commands received {emulator.Link.CommandsReceived}, lost on the way in {emulator.CommandsDropped}; bad checksums from the host {emulator.Link.Decoder.BadChecksums}; status {emulator.Rules.Status}");
        return 0;
    }

    private static TimeSpan? Seconds(double? value) => value is { } s ? TimeSpan.FromSeconds(s) : null;
}
