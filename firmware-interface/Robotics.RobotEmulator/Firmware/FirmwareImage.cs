using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Robotics.Contract;
using Robotics.FirmwareInterface.Firmware;

namespace Robotics.RobotEmulator.Firmware;

/// <summary>
/// Builds the firmware image of a robot for a board: writes the robot's configuration header from its contract
/// (identity, counts, rate, command limits, safe targets, watchdog) and runs <c>make firmware</c> in
/// firmware-interface/c with gcc-arm-none-eabi. Images go to firmware-interface/c/build/firmware/ROBOT-CONFIGURATION/.
/// </summary>
public static partial class FirmwareImage
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(2);

    /// <summary>The ELF image for <paramref name="target"/>, built when missing or out of date.</summary>
    /// <param name="limits">the firmware's limits and watchdog; default those the contract implies (<see cref="EmulatedRobotTask.Limits"/>)</param>
    public static string Build(RobotContract contract, string target, TimeSpan? watchdogTimeout = null, FirmwareLimits? limits = null)
    {
        FirmwareTarget.Check(target);
        var source = FindSourceDirectory();
        var text = ConfigHeader(contract, limits ?? EmulatedRobotTask.Limits(contract, watchdogTimeout));
        // One folder per configuration, so that images for different robots and limits never overwrite each other.
        var configuration = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12];
        var output = Path.Combine(source, "build", "firmware", $"{contract.Robot}-{configuration}");
        Directory.CreateDirectory(output);
        var header = Path.Combine(output, "rl_robot_config.h");
        if (!File.Exists(header) || File.ReadAllText(header) != text)
            File.WriteAllText(header, text);
        RunMake(source, output, target);
        var image = Path.Combine(output, target + ".elf");
        return File.Exists(image) ? image : throw new IOException($"make firmware did not produce {image}");
    }

    /// <summary>The robot's configuration as the firmware compiles it in.</summary>
    public static string ConfigHeader(RobotContract contract, FirmwareLimits limits)
    {
        if (!SafeName().IsMatch(contract.Robot))
            throw new ArgumentException($"robot name '{contract.Robot}' cannot go into the firmware: use at most 32 letters, digits, '-' or '_'");
        var rate = Float(contract.ControlRateHz);
        return new StringBuilder()
            .AppendLine("/* Generated from the robot's contract by robotics emulate --firmware; do not edit. */")
            .AppendLine("#ifndef RL_ROBOT_CONFIG_H")
            .AppendLine("#define RL_ROBOT_CONFIG_H")
            .AppendLine($"#define RL_ROBOT_NAME \"{contract.Robot}\"")
            .AppendLine($"#define RL_ROBOT_CONTRACT_HASH 0x{contract.ShortHash:x16}ull")
            .AppendLine($"#define RL_ROBOT_JOINTS {contract.Joints.Count}u")
            .AppendLine($"#define RL_ROBOT_ACTUATORS {contract.Actuators.Count}u")
            .AppendLine($"#define RL_ROBOT_STATE_RATE_HZ {rate}")
            .AppendLine($"#define RL_ROBOT_CONTROL_RATE_HZ {rate}")
            .AppendLine($"#define RL_ROBOT_HAS_IMU {(contract.HasImu ? 1 : 0)}u")
            .AppendLine($"#define RL_ROBOT_WATCHDOG_US {(long)limits.WatchdogTimeout.TotalMicroseconds}u")
            .AppendLine($"#define RL_ROBOT_COMMAND_MIN {{{string.Join(", ", limits.CommandMin.Select(v => Float(v)))}}}")
            .AppendLine($"#define RL_ROBOT_COMMAND_MAX {{{string.Join(", ", limits.CommandMax.Select(v => Float(v)))}}}")
            .AppendLine($"#define RL_ROBOT_SAFE_TARGET {{{string.Join(", ", limits.SafeTarget.Select(v => Float(v)))}}}")
            .AppendLine("#endif")
            .ToString();
    }

    /// <summary>firmware-interface/c of the repository this runs from (current directory first, then the program's).</summary>
    public static string FindSourceDirectory()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "firmware-interface", "c");
                if (File.Exists(Path.Combine(candidate, "Makefile")) && Directory.Exists(Path.Combine(candidate, "firmware")))
                    return candidate;
            }
        }

        throw new IOException("the firmware sources (firmware-interface/c) were not found: run from inside the repository");
    }

    private static void RunMake(string source, string output, string target)
    {
        var start = new ProcessStartInfo("make")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-s", "-C", source, Path.Combine(output, target + ".elf"), $"ROBOT_CONFIG={output}", $"FIRMWARE_OUT={output}" })
            start.ArgumentList.Add(argument);
        Process make;
        try
        {
            make = Process.Start(start) ?? throw new IOException("make did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new IOException($"cannot run make to build the firmware ({e.Message}): install make and gcc-arm-none-eabi (./test.sh and ./robotics install them)", e);
        }

        using (make)
        {
            var stdout = make.StandardOutput.ReadToEndAsync();
            var stderr = make.StandardError.ReadToEndAsync();
            if (!make.WaitForExit(BuildTimeout))
            {
                make.Kill(entireProcessTree: true);
                throw new IOException($"building the firmware for {target} took longer than {BuildTimeout.TotalMinutes} minutes");
            }

            if (make.ExitCode != 0)
            {
                var why = (stderr.Result + stdout.Result).Trim();
                throw new IOException($"building the firmware for {target} failed (is gcc-arm-none-eabi installed? ./test.sh and ./robotics install it): {LastLine(why)}");
            }
        }
    }

    private static string LastLine(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "(no output)" : lines[^1];
    }

    // A C float literal that reads back as the same float.
    private static string Float(double value)
    {
        if (!float.IsFinite((float)value))
            throw new ArgumentException($"command limit {value} is not a finite number");
        var text = ((float)value).ToString("R", CultureInfo.InvariantCulture);
        return (text.Contains('.') || text.Contains('E') ? text : text + ".0") + "f";
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,32}$")]
    private static partial Regex SafeName();
}
