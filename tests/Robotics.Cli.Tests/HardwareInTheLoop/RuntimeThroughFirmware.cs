using Robotics.Cli.Quickstart;

namespace Robotics.Cli.Tests.HardwareInTheLoop;

/// <summary>
/// The one place the firmware-in-the-loop tests start the runtime: as <c>robotics run --port</c> does, on the
/// pseudo-terminal of the firmware's host UART in QEMU.
/// </summary>
internal static class RuntimeThroughFirmware
{
    // QEMU notices a newly opened pseudo-terminal about once a second: the runtime retries its handshake until then.
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(5);

    /// <param name="watchdogPeriods">
    /// the runtime's stale-state watchdog; generous, as in the other balance runs, because a shared loaded machine
    /// stalls QEMU and the plant for tens of milliseconds now and then (the firmware's own 25 ms watchdog still runs)
    /// </param>
    public static DeploymentResult Run(string policyPath, string devicePath, double rateHz, TimeSpan duration, int watchdogPeriods = 50) =>
        PolicyDeployment.Run(policyPath, devicePath, new DeploymentOptions
        {
            RateHz = rateHz,
            Duration = duration,
            WatchdogPeriods = watchdogPeriods,
            HandshakeTimeout = HandshakeTimeout,
        });
}
