using System.Diagnostics;

namespace Robotics.Cli.Tests.PublishedRuntime;

/// <summary>
/// The robot program as a user gets it: build/publish-runtime.sh publishes it once per source change (cached under
/// .build/runtime), and the tests start the published executable as a separate process.
/// </summary>
internal static class PublishedRuntime
{
    private static readonly Lazy<string> X64 = new(() => Publish("linux-x64"));
    private static readonly Lazy<string> Arm64 = new(() => Publish("linux-arm64"));

    /// <summary>The folder of the published bundle for <paramref name="rid"/>.</summary>
    public static string Bundle(string rid) => rid == "linux-arm64" ? Arm64.Value : X64.Value;

    public static string Executable(string rid) => Path.Combine(Bundle(rid), "robotics-runtime");

    private static string Publish(string rid)
    {
        var script = Path.Combine(Repository.Root, "build", "publish-runtime.sh");
        var result = Run("bash", [script, "--rid", rid], TimeSpan.FromMinutes(10));
        Assert.True(result.ExitCode == 0, $"publishing the robot program for {rid} failed (exit {result.ExitCode}):\n{result.StandardError}");
        var folder = result.StandardOutput.Trim().Split('\n')[^1];
        Assert.True(File.Exists(Path.Combine(folder, "robotics-runtime")), $"the {rid} bundle in '{folder}' has no robotics-runtime");
        return folder;
    }

    /// <summary>Runs a process to its end (killing it after <paramref name="timeout"/>), capturing both streams.</summary>
    public static ProcessResult Run(string file, IReadOnlyList<string> arguments, TimeSpan timeout, string? standardInput = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (standardInput is not null) process.StandardInput.Write(standardInput);
        process.StandardInput.Close();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return new ProcessResult(-1, stdout.Result, stderr.Result + $"\n(killed after {timeout.TotalSeconds} s)");
        }

        return new ProcessResult(process.ExitCode, stdout.Result, stderr.Result);
    }
}

internal sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>The non-empty lines of standard error.</summary>
    public IReadOnlyList<string> ErrorLines => StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
