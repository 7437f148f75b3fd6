using System.Diagnostics;
using Robotics.Cli.Tests.HardwareInTheLoop;
using Xunit.Abstractions;

namespace Robotics.Cli.Tests;

/// <summary>
/// A reduced <c>robotics quickstart</c> (a few thousand training steps, a short deployment) run as the user runs it,
/// as a process: every stage runs and every file it names is written.
/// </summary>
[Collection(HardwareInTheLoopCollection.Name)]
public sealed class QuickstartCommandTests(ITestOutputHelper output) : IDisposable
{
    private readonly string outDirectory = Path.Combine(Path.GetTempPath(), "robotics-quickstart-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public void A_reduced_quickstart_runs_every_stage_and_writes_every_file()
    {
        // 20,480 steps (10 updates) with seed 3 evaluate at 640 of 1000 (episodes of 5.6 s and more): a policy that
        // keeps the pole up for the 2 s deployment with room to spare, so that the pole falling is a failure here.
        var (exitCode, stdout, stderr) = RunQuickstart("--out", outDirectory, "--total-steps", "20480", "--seed", "3", "--duration", "2");

        output.WriteLine(stdout);
        output.WriteLine(stderr);
        // Mutation guarded: accepting exit code 3 (every stage ran, the pole fell), which passed a failed deployment.
        Assert.True(exitCode == 0, $"exit code {exitCode}");
        Assert.Contains("rad): balanced", stdout);
        foreach (var stage in new[] { "[1/4] train", "[2/4] export", "[3/4] evaluate", "[4/4] deploy", "they agree", "quickstart summary", "max pole angle", "period error" })
            Assert.Contains(stage, stdout);

        Assert.True(File.Exists(Path.Combine(outDirectory, "run", "metrics.csv")));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(outDirectory, "run"), "*.ckpt", SearchOption.AllDirectories));
        Assert.True(new FileInfo(Path.Combine(outDirectory, "policy.onnx")).Length > 0);
        Assert.True(File.ReadLines(Path.Combine(outDirectory, "deploy", "telemetry.csv")).Count() > 100, "two seconds of ticks at 100 Hz");
        Assert.Contains("\"Fault\"", File.ReadAllText(Path.Combine(outDirectory, "deploy", "telemetry.summary.json")));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(outDirectory, "run", "plots"), "*.png"));
        foreach (var path in new[] { Path.Combine(outDirectory, "run"), Path.Combine(outDirectory, "policy.onnx"), Path.Combine(outDirectory, "deploy", "telemetry.csv") })
            Assert.Contains(path, stdout);
    }

    [Fact]
    public void A_quickstart_into_a_folder_that_holds_a_run_is_refused()
    {
        Directory.CreateDirectory(Path.Combine(outDirectory, "run", "checkpoints"));
        File.WriteAllText(Path.Combine(outDirectory, "run", "checkpoints", "last.ckpt"), "");

        var (exitCode, _, stderr) = RunQuickstart("--out", outDirectory);

        Assert.Equal(1, exitCode);
        Assert.Contains("already holds a run", stderr);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(outDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private static (int ExitCode, string Stdout, string Stderr) RunQuickstart(params string[] args)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "robotics"))
        {
            WorkingDirectory = Repository.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("quickstart");
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(8)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("the quickstart did not finish within 8 minutes");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
