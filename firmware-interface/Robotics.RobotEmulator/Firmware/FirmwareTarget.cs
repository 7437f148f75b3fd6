namespace Robotics.RobotEmulator.Firmware;

/// <summary>The boards the firmware is built for and QEMU emulates: the name is both the make target and QEMU's machine.</summary>
public static class FirmwareTarget
{
    public static readonly IReadOnlyList<string> Known = ["lm3s6965evb", "netduinoplus2"];

    /// <summary>Returns <paramref name="name"/> when it is a known board, or says which ones there are.</summary>
    public static string Check(string name) => Known.Contains(name)
        ? name
        : throw new ArgumentException($"unknown firmware target '{name}'; known targets: {string.Join(", ", Known)}");
}
