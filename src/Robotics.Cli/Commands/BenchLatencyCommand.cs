using System.CommandLine;
using System.Globalization;
using System.Text;
using Robotics.Contract;
using Robotics.Contract.Timing;
using Robotics.SimBridge.Benchmarks;
using Robotics.SimBridge.Hosting;
using Robotics.SimBridge.Tracing;
using Robotics.Training.Configuration;
using Robotics.Training.Environments;
using Robotics.Training.Monitoring;
using Robotics.Training.Runner;

namespace Robotics.Cli.Commands;

/// <summary>
/// <c>robotics bench latency</c>: training throughput against bridges at a network round trip, with the environments
/// in lockstep and in groups stepped out of phase (env_groups). Local bridge processes stand for the remote hosts
/// and a delay proxy in front of each adds the round trip (this machine's kernel has no netem).
/// </summary>
internal static class BenchLatencyCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo>("--config")
        {
            Description = "PPO training config to train with (its num_envs unless --envs is given)",
            DefaultValueFactory = _ => new FileInfo(Path.Combine("build", "bench", "cartpole-many-envs-ppo.yaml")),
        };
        var envs = new Option<int?>("--envs") { Description = "environments, the same in every cell (default: the config's num_envs)" };
        var bridges = new Option<int>("--bridges") { Description = "bridge processes, each behind its own delay proxy", DefaultValueFactory = _ => 2 };
        var rtts = new Option<string>("--rtt-ms") { Description = "round trips to measure, ms, comma-separated; 0 is loopback without a proxy (about 0.1 ms)", DefaultValueFactory = _ => "0,2,10" };
        var groups = new Option<string>("--groups") { Description = "env_groups to measure, comma-separated", DefaultValueFactory = _ => "1,4,8" };
        var updates = new Option<int>("--updates") { Description = "timed updates per cell (after one untimed)", DefaultValueFactory = _ => 3 };
        var warmup = new Option<int>("--warmup-updates")
        {
            Description = "untimed updates at loopback before the grid, so that the trainer's and the bridges' code is compiled to its final tier before any cell is timed (the first cells of a cold process ran up to a third slower)",
            DefaultValueFactory = _ => 30,
        };
        var repeat = new Option<int>("--repeat")
        {
            Description = "measure the whole grid this many times, every other time in reverse order, and compare each cell with the loopback cell of the same pass (medians of those ratios): this machine's drift between passes cancels",
            DefaultValueFactory = _ => 1,
        };
        var trace = new Option<DirectoryInfo?>("--trace")
        {
            Description = "also time every step request at both ends (trainer and bridges, ROBOTICS_STEP_TRACE) into this folder and show where a round trip's time goes per cell",
        };
        var json = JsonOutput.Option();
        var command = new Command("latency",
            "Training steps/s against bridges behind delay proxies, per round trip and env_groups: how much of the network's latency the out-of-phase groups hide.")
        {
            config, envs, bridges, rtts, groups, updates, warmup, repeat, trace, json,
        };
        command.SetAction(parse => CliErrors.Training(() =>
        {
            string path = parse.GetValue(config)!.FullName;
            var loaded = TrainingConfigFile.Load(path);
            int numEnvs = parse.GetValue(envs) is { } given ? CliErrors.Positive(given, "--envs") : loaded.NumEnvs;
            int bridgeCount = CliErrors.Positive(parse.GetValue(bridges), "--bridges");
            var roundTrips = Numbers(parse.GetValue(rtts)!, "--rtt-ms");
            var groupCounts = Numbers(parse.GetValue(groups)!, "--groups").Select(v => (int)v).ToList();
            int timed = CliErrors.Positive(parse.GetValue(updates), "--updates"); // and one untimed before them
            int passes = CliErrors.Positive(parse.GetValue(repeat), "--repeat");
            int warmupUpdates = parse.GetValue(warmup);
            if (warmupUpdates < 0) throw new ConfigException(path, "--warmup-updates", $"{warmupUpdates} is negative; give 0 for none");
            var baseConfig = loaded with
            {
                NumEnvs = numEnvs,
                Evaluation = loaded.Evaluation with { EveryUpdates = 0 },
                Checkpoint = loaded.Checkpoint with { EveryUpdates = 1000, KeepNumbered = false },
                Monitoring = loaded.Monitoring with { Tensorboard = false, Progress = "never" },
            };
            TrainingConfigFile.Validate(baseConfig, path);
            foreach (int k in groupCounts)
            {
                if (k < 1 || k * bridgeCount > numEnvs)
                    throw new ConfigException(path, "--groups", $"env_groups {k} on {bridgeCount} bridges needs from 1 to {numEnvs / bridgeCount} (one environment per group on each bridge)");
            }

            bool asJson = parse.GetValue(json);
            string? traceFolder = parse.GetValue(trace)?.FullName;
            if (traceFolder is not null)
            {
                Directory.CreateDirectory(traceFolder);
                StepTrace.Disable(); // this process traces per cell, into files of its own
                Environment.SetEnvironmentVariable(StepTrace.Variable, traceFolder); // the bridge processes inherit it
            }

            var start = EnvironmentOptions.LocalBridgeStarter(loaded.Task);
            var local = new List<LocalBridge>();
            var cells = new List<Cell>();
            var bridgeTraces = new StepTraceTail();
            string scratch = Directory.CreateTempSubdirectory("robotics-bench-latency-").FullName;
            try
            {
                for (int b = 0; b < bridgeCount; b++) local.Add(start());
                if (warmupUpdates > 0)
                {
                    // .NET compiles hot code again after tens of calls (tiered, with profile-guided optimization),
                    // which takes seconds of running in each process: without this the first cells measured slow.
                    if (!asJson) Console.Error.WriteLine($"warming up: {warmupUpdates} updates at loopback, untimed");
                    WarmUp(baseConfig with { EnvGroups = groupCounts[0] }, local, warmupUpdates, scratch);
                    if (traceFolder is not null)
                    {
                        foreach (var file in Directory.GetFiles(traceFolder, "steps-*.csv")) bridgeTraces.ReadNew(file); // not a cell's
                    }
                }

                var grid = roundTrips.SelectMany(rtt => groupCounts.Select(k => (Rtt: rtt, Groups: k))).ToList();
                for (int pass = 0; pass < passes; pass++)
                {
                    foreach (var (rtt, k) in pass % 2 == 0 ? grid : Enumerable.Reverse(grid))
                    {
                        var cell = Measure(baseConfig with { EnvGroups = k }, local, rtt, timed, scratch, traceFolder, bridgeTraces, pass);
                        cells.Add(cell);
                        if (!asJson) Console.Error.WriteLine($"{(passes > 1 ? $"pass {pass + 1}: " : "")}round trip {Label(rtt)}, env_groups {k}: {cell.StepsPerSecond:F0} steps/s per update, {cell.CollectStepsPerSecond:F0} while collecting");
                    }
                }
            }
            finally
            {
                local.ForEach(b => b.Dispose());
                Directory.Delete(scratch, recursive: true);
            }

            NetMQ.NetMQConfig.Cleanup(block: false);
            var report = new Report(loaded.Task, numEnvs, bridgeCount, Environment.ProcessorCount, cells);
            JsonOutput.Print(asJson, report, Format);
            return 0; // a measurement: the goal is reported, not enforced
        }));
        return command;
    }

    /// <param name="CollectWaitShare">The part of collecting spent blocked on the bridges; the rest is the trainer's own work.</param>
    /// <param name="Trace">With --trace: where a step request's time went, both ends timed.</param>
    /// <param name="Pass">Which pass over the grid measured it (--repeat), from 0.</param>
    public sealed record Cell(double RoundTripMs, int EnvGroups, double StepsPerSecond, double CollectStepsPerSecond, double CollectWaitShare, double? MeasuredRoundTripMs,
        StepTraceAnalysis? Trace = null, int Pass = 0);

    public sealed record Report(string Task, int Envs, int Bridges, int ProcessorCount, IReadOnlyList<Cell> Cells);

    private static void WarmUp(TrainingConfig config, List<LocalBridge> bridges, int updates, string scratch)
    {
        using var source = BridgeEnvironmentSource.Remote(config.Task, bridges.Select(b => b.Endpoint), groups: config.EnvGroups);
        new TrainingRunner(config, Path.Combine(scratch, "warm-up"), source) { StopAfterIterations = updates }.Train(new Quiet(), resume: false);
    }

    private static Cell Measure(TrainingConfig config, List<LocalBridge> bridges, double rttMs, int timed, string scratch, string? traceFolder, StepTraceTail bridgeTraces, int pass)
    {
        string? clientTrace = traceFolder is null ? null : Path.Combine(traceFolder, string.Create(CultureInfo.InvariantCulture, $"trainer-rtt{rttMs}-groups{config.EnvGroups}-pass{pass + 1}.csv"));
        if (clientTrace is not null) StepTrace.Enable(clientTrace);
        var proxies = new List<DelayProxy>();
        try
        {
            var endpoints = new List<string>();
            foreach (var bridge in bridges)
            {
                if (rttMs <= 0)
                {
                    endpoints.Add(bridge.Endpoint);
                    continue;
                }

                var (host, port) = DelayProxy.ParseTarget(bridge.Endpoint["tcp://".Length..]);
                var proxy = DelayProxy.Start(new DelayProxyOptions { TargetHost = host, TargetPort = port, OneWayDelay = TimeSpan.FromMilliseconds(rttMs / 2) });
                proxies.Add(proxy);
                endpoints.Add(proxy.Endpoint);
            }

            var updates = new List<MetricRecord>();
            using (var source = BridgeEnvironmentSource.Remote(config.Task, endpoints, groups: config.EnvGroups))
            {
                new TrainingRunner(config, Path.Combine(scratch, $"rtt{rttMs}-groups{config.EnvGroups}-pass{pass}"), source)
                {
                    StopAfterIterations = timed + 1,
                    OnUpdate = updates.Add,
                }.Train(new Quiet(), resume: false);
            }

            StepTrace.Disable();
            StepTraceAnalysis? analysis = null;
            if (clientTrace is not null)
            {
                var bridgeFiles = Directory.GetFiles(traceFolder!, "steps-*.csv").Select(bridgeTraces.ReadNew).ToList();
                analysis = StepTraceAnalysis.Analyze(File.ReadLines(clientTrace), bridgeFiles);
            }

            var measured = updates.Skip(1).ToList();
            double steps = updates[1]["charts/global_step"] - updates[0]["charts/global_step"];
            double? measuredRtt = proxies.Count == 0 ? null : proxies.Average(p => 2 * p.Stats.MeanHeld.TotalMilliseconds);
            return new Cell(rttMs, config.EnvGroups, Medians.Of(measured.Select(m => m["charts/sps"])),
                Medians.Of(measured.Select(m => steps / m["perf/collect_seconds"])),
                Medians.Of(measured.Select(m => m["perf/env_wait_seconds"] / m["perf/collect_seconds"])), measuredRtt, analysis, pass);
        }
        finally
        {
            StepTrace.Disable();
            proxies.ForEach(p => p.Dispose());
        }
    }

    private static string Format(Report report)
    {
        var s = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        int passes = report.Cells.Max(x => x.Pass) + 1;
        s.AppendLine(c, $"{report.Task}, {report.Envs} environments on {report.Bridges} local bridge processes, {report.ProcessorCount} cores; PPO updates (collect and learn)");
        if (passes > 1) s.AppendLine(c, $"{passes} passes over the grid; each figure the median over the passes, each ratio the median of the passes' ratios to their own loopback cell");
        s.AppendLine("round trip   env_groups   steps/s per update   vs loopback   steps/s collecting   vs loopback   waiting");
        foreach (var cells in report.Cells.GroupBy(x => (x.RoundTripMs, x.EnvGroups)))
        {
            var first = cells.First();
            string Ratio(Func<Cell, double> f)
            {
                var ratios = cells
                    .Select(cell => (cell, baseline: report.Cells.FirstOrDefault(b => b.RoundTripMs <= 0 && b.EnvGroups == cell.EnvGroups && b.Pass == cell.Pass)))
                    .Where(p => p.baseline is not null)
                    .Select(p => f(p.cell) / f(p.baseline!))
                    .ToList();
                return ratios.Count == 0 ? "-" : Medians.Of(ratios).ToString("F2", c);
            }

            double Median(Func<Cell, double> f) => Medians.Of(cells.Select(f));
            s.AppendLine(c, $"{Label(first.RoundTripMs),-12} {first.EnvGroups,10}   {Median(x => x.StepsPerSecond),18:F0}   {Ratio(x => x.StepsPerSecond),11}   {Median(x => x.CollectStepsPerSecond),18:F0}   {Ratio(x => x.CollectStepsPerSecond),11}   {Median(x => x.CollectWaitShare),7:F2}");
        }

        s.AppendLine("waiting = the part of collecting spent blocked on the bridges (the rest is the trainer's own work)");
        foreach (var line in Ceilings(report))
        {
            s.AppendLine(line);
        }

        if (report.Cells.Any(x => x.Trace is not null))
        {
            s.AppendLine();
            s.AppendLine("each step request, both ends timed (medians, ms; every request of the cell, the untimed update's too):");
            s.AppendLine("round trip   env_groups   pass   requests   to bridge   in bridge: before, step, after   to trainer   trainer waits   group cycle   bridge busy");
            foreach (var cell in report.Cells.OrderBy(x => x.RoundTripMs).ThenBy(x => x.EnvGroups).ThenBy(x => x.Pass))
            {
                if (cell.Trace is not { } t) continue;
                s.AppendLine(c, $"{Label(cell.RoundTripMs),-12} {cell.EnvGroups,10}   {cell.Pass + 1,4}   {t.Requests,8}   {t.ToBridge,9:F2}   {t.BeforeStep,10:F2} {t.Step,6:F2} {t.AfterStep,6:F2}          {t.ToClient,10:F2}   {t.ClientWait,13:F2}   {t.Cycle,11:F2}   {t.BridgeBusyShare,11:F2}");
            }

            s.AppendLine("to bridge: trainer's send to the bridge picking the request up (a proxy's hold and any wait behind other groups' steps included);");
            s.AppendLine("to trainer: bridge's send to the trainer having the reply, where the trainer was already waiting; bridge busy: its share of time stepping");

            s.AppendLine("a group's period within a rollout, in parts that add up (means, ms):");
            s.AppendLine("round trip   env_groups   pass   periods   period   = to bridge   + at bridge   + back   + trainer's turn");
            foreach (var cell in report.Cells.OrderBy(x => x.RoundTripMs).ThenBy(x => x.EnvGroups).ThenBy(x => x.Pass))
            {
                if (cell.Trace?.Split is not { } p) continue;
                s.AppendLine(c, $"{Label(cell.RoundTripMs),-12} {cell.EnvGroups,10}   {cell.Pass + 1,4}   {p.Periods,7}   {p.Cycle,6:F2}   {p.ToBridge,11:F2}   {p.AtBridge,11:F2}   {p.Back,6:F2}   {p.Turn,16:F2}");
            }

            s.AppendLine("back: the reply's send to the trainer having it, any time it waited while the trainer served other groups (or for its group's other bridges) included;");
            s.AppendLine("trainer's turn: the reply in hand to the group's next send (the trainer acting on the group)");
        }

        return s.ToString();
    }

    /// <summary>
    /// Per round trip, what no grouping can pass: each environment steps at most once per round trip, so collecting
    /// stays below num_envs / round trip (a group's period adds its step and the ways' wake-ups, so the real limit is
    /// lower still). Said beside the best loopback cell, so a reader sees when the environments, not the grouping,
    /// are what is short.
    /// </summary>
    internal static IEnumerable<string> Ceilings(Report report)
    {
        var c = CultureInfo.InvariantCulture;
        var loopback = report.Cells.Where(x => x.RoundTripMs <= 0).ToList();
        string against = loopback.Count == 0 ? ""
            : string.Format(c, " (loopback: up to {0:F0})", loopback.GroupBy(x => x.EnvGroups).Max(g => Medians.Of(g.Select(x => x.CollectStepsPerSecond))));
        foreach (var cells in report.Cells.Where(x => x.RoundTripMs > 0).GroupBy(x => x.RoundTripMs).OrderBy(g => g.Key))
        {
            var measured = cells.Where(x => x.MeasuredRoundTripMs is > 0).Select(x => x.MeasuredRoundTripMs!.Value).ToList();
            double rtt = measured.Count > 0 ? Medians.Of(measured) : cells.Key;
            yield return string.Format(c, "at {0}: no grouping collects more than {1} environments / {2:F1} ms = {3:F0} steps/s{4}",
                Label(cells.Key), report.Envs, rtt, report.Envs / (rtt / 1000), against);
        }

        if (report.Cells.Any(x => x.RoundTripMs > 0))
        {
            yield return "(each environment steps at most once per round trip, and a group's period is longer still: near that ceiling more environments hide the round trip, more groups do not)";
        }
    }

    private static string Label(double rttMs) => rttMs <= 0 ? "loopback" : $"{rttMs:0.##} ms";

    private static List<double> Numbers(string text, string option)
    {
        var values = new List<double>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !(v >= 0))
                throw new ConfigException("command line", option, $"expected comma-separated numbers of 0 or more, got '{text}'");
            values.Add(v);
        }

        return values.Count > 0 ? values : throw new ConfigException("command line", option, "give at least one value");
    }

    private sealed class Quiet : IProgressReporter
    {
        public void Update(long steps, MetricRecord record) { }
        public void Message(string text) { }
    }
}
