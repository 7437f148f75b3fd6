using Robotics.FirmwareInterface.Transport;

namespace Robotics.RobotEmulator;

/// <summary>How the emulated robot behaves besides its physics.</summary>
public sealed record EmulatorOptions
{
    /// <summary>Watchdog timeout; default 2.5 of the robot's control periods (safe within 3 periods of the last command).</summary>
    public TimeSpan? WatchdogTimeout { get; init; }

    /// <summary>
    /// The firmware's line speed. On a pseudo-terminal, when the host configures another rate, the emulator
    /// behaves as a real UART would: what it sends arrives as garbage and what it receives is ignored.
    /// </summary>
    public int BaudRate { get; init; } = SerialLink.DefaultBaudRate;

    /// <summary>Seed of the simulation's initial state and of the fault injection.</summary>
    public int Seed { get; init; }

    /// <summary>
    /// Lockstep instead of real time: once linked, the robot steps only when the command answering its latest
    /// state has arrived (or after <see cref="LockstepTimeout"/> of waiting, with the targets it holds, as when a
    /// state frame was lost), and its firmware clock is simulated time. The same seed and controller then give
    /// the same run however busy the machine is: for tests and CI, not a model of a real robot's timing.
    /// </summary>
    public bool Lockstep { get; init; }

    /// <summary>
    /// Let the physics run from the start instead of holding the robot in its initial state until the first
    /// handshake. Held (the default), an unstable robot such as the cartpole is still where its task starts it when
    /// the host links, however long the host takes to start, as a real robot held in its safe state by firmware
    /// waiting for its host would be; free, it falls before any host can catch it.
    /// </summary>
    public bool FreeRun { get; init; }

    /// <summary>
    /// Where to write the base's true motion (velocity over the ground, yaw rate, height, tilt) each control period
    /// once the robot runs, as a CSV (<see cref="BaseMotionLog"/>); null for none. What a real robot cannot report,
    /// for comparing a velocity command with what it achieved.
    /// </summary>
    public string? TruthPath { get; init; }

    /// <summary>Longest wall-clock wait for the answer to a state in lockstep.</summary>
    public TimeSpan LockstepTimeout { get; init; } = TimeSpan.FromMilliseconds(250);

    public FaultInjectionOptions Faults { get; init; } = new();
}

/// <summary>
/// Faults to inject, for tests and demonstrations. Rates are probabilities per frame sent by the robot, except
/// <see cref="CommandDropRate"/>, per command frame sent by the host.
/// </summary>
public sealed record FaultInjectionOptions
{
    /// <summary>Frames silently not sent.</summary>
    public double DropRate { get; init; }

    /// <summary>Frames sent with one bit flipped (the host's CRC check catches them).</summary>
    public double CorruptRate { get; init; }

    /// <summary>Frames held back by <see cref="Delay"/> before they are sent.</summary>
    public double DelayRate { get; init; }

    public TimeSpan Delay { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Command frames from the host lost on the way in: the firmware never sees them, and its count of commands received tells the host.</summary>
    public double CommandDropRate { get; init; }

    /// <summary>When the device vanishes (the pseudo-terminal is closed), counted from the start.</summary>
    public TimeSpan? DisconnectAt { get; init; }

    /// <summary>How long after vanishing the device comes back at the same path; never when null.</summary>
    public TimeSpan? ReconnectAfter { get; init; }

    /// <summary>Joint (contract index) whose position and velocity readings freeze at <see cref="StuckSensorAt"/>.</summary>
    public int? StuckJoint { get; init; }

    public TimeSpan StuckSensorAt { get; init; }

    public void Validate()
    {
        foreach (var (name, rate) in new[] { ("drop", DropRate), ("corrupt", CorruptRate), ("delay", DelayRate), ("command drop", CommandDropRate) })
        {
            if (rate is < 0 or > 1 || double.IsNaN(rate))
                throw new ArgumentException($"{name} rate {rate} is not a probability: use a value from 0 to 1 (0.01 = 1% of frames)");
        }

        if (Delay < TimeSpan.Zero)
            throw new ArgumentException($"delay {Delay.TotalMilliseconds} ms is negative");
        if (ReconnectAfter is not null && DisconnectAt is null)
            throw new ArgumentException("a reconnect needs a disconnect time as well");
    }
}
