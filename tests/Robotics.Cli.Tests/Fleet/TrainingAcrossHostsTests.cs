using System.Diagnostics;
using NetMQ;
using Xunit.Abstractions;

namespace Robotics.Cli.Tests.Fleet;

/// <summary>
/// Training against bridges on "other hosts" (network namespaces, see <see cref="NamespacedBridge"/>) when one of the
/// hosts dies mid-run and does not come back: the run goes on with the survivor, finishes, and resumes without it.
/// Five environments over two bridges: an uneven split (3 + 2), then all five on one.
/// </summary>
[Collection(NetMqCollection.Name)]
public sealed class TrainingAcrossHostsTests(ITestOutputHelper output) : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("robotics-fleet-").FullName;

    [Fact]
    public void A_host_killed_mid_run_is_dropped_the_run_finishes_on_the_other_and_resumes_without_it()
    {
        using var first = NamespacedBridge.Start();
        using var second = NamespacedBridge.Start();
        string config = Path.Combine(folder, "fleet.yaml");
        File.WriteAllText(config, """
            algorithm: ppo
            task: cartpole-balance
            seed: 4
            total_steps: 9600
            num_envs: 5
            bridge_timeouts: {reply_seconds: 2}
            policy: {hidden_sizes: [16, 16]}
            ppo: {rollout_steps: 64, epochs: 2, minibatches: 4}
            evaluation: {every_updates: 4, episodes: 2}
            checkpoint: {every_updates: 4}
            monitoring: {tensorboard: false, progress: never}
            """);
        string run = Path.Combine(folder, "run");
        string[] bridges = ["--bridge", first.Endpoint, "--bridge", second.Endpoint];

        // Train, and kill the second host once three updates are in (30 in all).
        using (var train = Start(["train", "--config", config, "--out", run, .. bridges]))
        {
            string metrics = Path.Combine(run, "metrics.csv");
            var waited = Stopwatch.StartNew();
            while (Updates(metrics) < 3 && !train.HasExited && waited.Elapsed < TimeSpan.FromMinutes(2)) Thread.Sleep(10);
            Assert.True(Updates(metrics) >= 3 && !train.HasExited, $"the run did not get to its third update while running ({Updates(metrics)} updates)");
            second.Kill();
            Assert.True(train.WaitForExit(TimeSpan.FromMinutes(3)), "train did not finish within 3 minutes");
            output.WriteLine(File.ReadAllText(Path.Combine(run, "train.log")));
            Assert.Equal(0, train.ExitCode);
        }

        string log = File.ReadAllText(Path.Combine(run, "train.log"));
        Assert.Contains($"environments replaced (1 of 2 remote bridges ({first.Endpoint}; not answering: {second.Endpoint}))", log);
        Assert.Contains("finished: 30 updates", log);
        Assert.Equal(30, Updates(Path.Combine(run, "metrics.csv")));

        // Resume for 10 more updates with the dead host still named: it goes on with the one that answers.
        var resume = RoboticsProcess.Run(folder, null, ["resume", run, "--total-steps", "12800", .. bridges]);
        output.WriteLine(resume.ToString());
        Assert.Equal(0, resume.ExitCode);
        Assert.Contains($"{second.Endpoint} does not answer at the start; training goes on with 1 of 2 remote bridges", resume.Stderr);
        Assert.Equal(40, Updates(Path.Combine(run, "metrics.csv")));
        Assert.Contains("finished: 40 updates", File.ReadAllText(Path.Combine(run, "train.log")));
    }

    public void Dispose()
    {
        NetMQConfig.Cleanup(block: false);
        Directory.Delete(folder, recursive: true);
    }

    private static Process Start(string[] args)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "robotics")) { WorkingDirectory = Path.GetTempPath(), RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment.Remove("ROBOTICS_CONFIG_DIR");
        foreach (var arg in args) start.ArgumentList.Add(arg);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Updates written to metrics.csv so far (its lines after the header).</summary>
    private static int Updates(string metrics)
    {
        try
        {
            using var stream = new FileStream(metrics, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            int lines = 0;
            while (reader.ReadLine() is { Length: > 0 }) lines++;
            return Math.Max(0, lines - 1);
        }
        catch (FileNotFoundException)
        {
            return 0;
        }
        catch (DirectoryNotFoundException)
        {
            return 0;
        }
    }
}
