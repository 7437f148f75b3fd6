using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Robotics.SimBridge.Benchmarks;

/// <summary>Runs MuJoCo's own <c>mujoco-testspeed</c> (Debian's libmujoco-samples) for a raw physics figure to compare with.</summary>
public static partial class MujocoTestspeed
{
    public const string Program = "mujoco-testspeed";

    /// <summary>The result of one run: the exact command and its steps per second, or why there is none.</summary>
    public sealed record Result(string Command, double? StepsPerSecond, string? Problem);

    public static Result Run(string model, int steps = 2000, int threads = 1, TimeSpan? timeout = null)
    {
        string command = $"{Program} {model} {steps} {threads}";
        var start = new ProcessStartInfo(Program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(model);
        start.ArgumentList.Add(steps.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add(threads.ToString(CultureInfo.InvariantCulture));
        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(1)))
            {
                process.Kill();
                return new Result(command, null, "timed out");
            }

            var match = StepsPerSecondLine().Match(output.Result);
            return match.Success
                ? new Result(command, double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), null)
                : new Result(command, null, $"no 'Steps per second' line in its output (exit code {process.ExitCode})");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return new Result(command, null, $"{Program} is not installed (Debian package libmujoco-samples)");
        }
    }

    [GeneratedRegex(@"Steps per second\s*:\s*([0-9.]+)")]
    private static partial Regex StepsPerSecondLine();
}
