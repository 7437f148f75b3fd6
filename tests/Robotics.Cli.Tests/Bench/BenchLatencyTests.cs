using System.Text.Json;
using Robotics.Cli.Commands;
using Xunit.Abstractions;

namespace Robotics.Cli.Tests.Bench;

/// <summary>robotics bench latency measures every cell it is asked for, through proxies that really delay.</summary>
public sealed class BenchLatencyTests(ITestOutputHelper output)
{
    [Fact]
    public void Every_round_trip_and_group_count_gets_a_measured_cell_and_the_proxies_hold_what_they_are_told()
    {
        var result = RoboticsProcess.Run(Repository.Root, null, "bench", "latency", "--config", "build/bench/cartpole-many-envs-ppo.yaml",
            "--envs", "8", "--rtt-ms", "0,4", "--groups", "1,2", "--updates", "1", "--json");
        output.WriteLine(result.ToString());
        Assert.True(result.ExitCode == 0, result.ToString());

        using var report = JsonDocument.Parse(result.Stdout);
        var cells = report.RootElement.GetProperty("Cells").EnumerateArray().ToList();
        Assert.Equal([(0.0, 1), (0.0, 2), (4.0, 1), (4.0, 2)], cells.Select(c => (c.GetProperty("RoundTripMs").GetDouble(), c.GetProperty("EnvGroups").GetInt32())));
        Assert.All(cells, c => Assert.True(c.GetProperty("StepsPerSecond").GetDouble() > 0));
        Assert.All(cells, c => Assert.InRange(c.GetProperty("CollectWaitShare").GetDouble(), double.Epsilon, 1.0));
        // Behind a 4 ms round trip, 8 environments in lockstep wait for the bridges most of the collection.
        Assert.True(cells[2].GetProperty("CollectWaitShare").GetDouble() > 0.5, cells[2].ToString());
        // Each chunk is held for half the round trip each way; timer wake-ups only ever add to it.
        Assert.All(cells.Where(c => c.GetProperty("RoundTripMs").GetDouble() > 0), c => Assert.InRange(c.GetProperty("MeasuredRoundTripMs").GetDouble(), 4.0, 40.0));
    }

    [Fact]
    public void Repeated_passes_alternate_their_order_and_a_trace_times_every_cell_at_both_ends()
    {
        string trace = Directory.CreateTempSubdirectory("robotics-bench-trace-").FullName;
        var result = RoboticsProcess.Run(Repository.Root, null, "bench", "latency", "--config", "build/bench/cartpole-many-envs-ppo.yaml",
            "--envs", "8", "--rtt-ms", "0,4", "--groups", "2", "--updates", "1", "--warmup-updates", "2", "--repeat", "2", "--trace", trace, "--json");
        output.WriteLine(result.ToString());
        Assert.True(result.ExitCode == 0, result.ToString());

        using var report = JsonDocument.Parse(result.Stdout);
        var cells = report.RootElement.GetProperty("Cells").EnumerateArray().ToList();
        // The second pass runs the grid backwards, so drift during the run falls on both ends of the comparison.
        Assert.Equal([(0.0, 0), (4.0, 0), (4.0, 1), (0.0, 1)], cells.Select(c => (c.GetProperty("RoundTripMs").GetDouble(), c.GetProperty("Pass").GetInt32())));
        foreach (var cell in cells)
        {
            var t = cell.GetProperty("Trace");
            Assert.True(t.GetProperty("Requests").GetInt32() > 0, cell.ToString());
            Assert.True(t.GetProperty("Step").GetDouble() >= 0, cell.ToString());
            var split = t.GetProperty("Split");
            double parts = split.GetProperty("ToBridge").GetDouble() + split.GetProperty("AtBridge").GetDouble()
                + split.GetProperty("Back").GetDouble() + split.GetProperty("Turn").GetDouble();
            Assert.Equal(split.GetProperty("Cycle").GetDouble(), parts, 6);
        }

        // Behind the proxy the way to the bridge takes at least the 2 ms it holds each chunk.
        Assert.All(cells.Where(c => c.GetProperty("RoundTripMs").GetDouble() > 0), c => Assert.True(c.GetProperty("Trace").GetProperty("ToBridge").GetDouble() >= 2.0, c.ToString()));
        Assert.All(cells.Where(c => c.GetProperty("RoundTripMs").GetDouble() > 0), c => Assert.True(c.GetProperty("Trace").GetProperty("Split").GetProperty("Back").GetDouble() >= 2.0, c.ToString()));
        // The trainer waits for whichever group comes first; a reply that came in during that wait counts as one it
        // was waiting for, so the way back where it waited is measured (behind the proxy: at least its 2 ms).
        Assert.All(cells.Where(c => c.GetProperty("RoundTripMs").GetDouble() > 0), c => Assert.True(c.GetProperty("Trace").GetProperty("ToClient").GetDouble() >= 2.0, c.ToString()));
        Assert.NotEmpty(Directory.GetFiles(trace, "steps-*.csv"));
    }

    [Fact]
    public void Without_envs_the_config_says_how_many_environments()
    {
        string folder = Directory.CreateTempSubdirectory("robotics-bench-latency-config-").FullName;
        string config = Path.Combine(folder, "few-envs.yaml");
        File.WriteAllText(config, File.ReadAllText(Path.Combine(Repository.Root, "build", "bench", "cartpole-many-envs-ppo.yaml"))
            .Replace("num_envs: 4096", "num_envs: 6", StringComparison.Ordinal));

        try
        {
            var result = RoboticsProcess.Run(Repository.Root, null, "bench", "latency", "--config", config,
                "--rtt-ms", "0", "--groups", "1", "--updates", "1", "--warmup-updates", "0", "--json");
            output.WriteLine(result.ToString());
            Assert.True(result.ExitCode == 0, result.ToString());

            using var report = JsonDocument.Parse(result.Stdout);
            Assert.Equal(6, report.RootElement.GetProperty("Envs").GetInt32());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void The_report_says_what_no_grouping_can_collect_at_each_round_trip()
    {
        var report = new BenchLatencyCommand.Report("cartpole-balance", 2048, 2, 2,
        [
            new(0, 4, 90_000, 190_000, 0.6, null),
            new(0, 8, 90_000, 200_000, 0.6, null),
            new(10, 4, 80_000, 110_000, 0.8, 10.4),
            new(10, 8, 80_000, 112_000, 0.8, 10.6),
        ]);

        var lines = BenchLatencyCommand.Ceilings(report).ToList();

        // 2,048 environments behind the median measured 10.5 ms step at most 195,048 times a second: about the
        // loopback rate, so only more environments can hide this round trip.
        Assert.Equal("at 10 ms: no grouping collects more than 2048 environments / 10.5 ms = 195048 steps/s (loopback: up to 200000)", lines[0]);
        Assert.Equal(2, lines.Count);
        Assert.Empty(BenchLatencyCommand.Ceilings(report with { Cells = report.Cells.Where(x => x.RoundTripMs == 0).ToList() }));
    }

    [Fact]
    public void More_groups_than_the_environments_allow_is_one_line()
    {
        var result = RoboticsProcess.Run(Repository.Root, null, "bench", "latency", "--envs", "4", "--groups", "3");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("env_groups 3 on 2 bridges needs from 1 to 2", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
    }
}
