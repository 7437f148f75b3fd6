using System.Diagnostics;
using Robotics.SimBridge.Client;
using Robotics.SimBridge.Hosting;
using Robotics.SimBridge.Protocol;
using Robotics.SimBridge.Server;

namespace Robotics.SimBridge.Benchmarks;

/// <summary>One model and batch size to measure, and the share of raw throughput the bridge should reach.</summary>
public sealed record BridgeBenchmarkCase(string Task, int NumEnvs, double Goal);

/// <summary>How to run <see cref="BridgeBenchmark"/>.</summary>
public sealed record BridgeBenchmarkOptions
{
    public IReadOnlyList<BridgeBenchmarkCase> Cases { get; init; } =
    [
        new("cartpole-balance", 64, 0.75),
        new("humanoid-bench", 16, 0.9),
    ];

    /// <summary>
    /// Stepping time per case and mode, split into short alternating rounds so that the two modes of a round see
    /// the same machine load; the ratio is the median of the rounds' ratios.
    /// </summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(6);

    public int Rounds { get; init; } = 12;

    /// <summary>Threads that step a batch, in-process and on the bridge alike; 1 is the one-bridge-per-core layout.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>The robotics program for a child-process bridge; null serves the bridge from a thread of this process.</summary>
    public string? BridgeExecutable { get; init; }

    /// <summary>For a bridge in this process: connect over inproc:// instead of tcp loopback (shows what TCP and NetMQ's I/O threads cost).</summary>
    public bool InProcessTransport { get; init; }

    /// <summary>Arguments before "sim-bridge" (e.g. robotics.dll when the executable is dotnet).</summary>
    public IReadOnlyList<string> BridgeLeadingArguments { get; init; } = [];

    public string TestspeedModel { get; init; } = "/usr/share/mujoco/model/humanoid/humanoid.xml";

    public Action<string>? Progress { get; init; }
}

/// <summary>
/// Raw and bridged throughput of one case. Times are per batch step; CPU times add up this process and the
/// bridge process. The empty round trip (a Hello) is the fixed cost of one message each way.
/// </summary>
public sealed record BridgeBenchmarkResult(
    string Task,
    int NumEnvs,
    double RawEnvStepsPerSecond,
    double BridgeEnvStepsPerSecond,
    double Ratio,
    double Goal,
    bool MeetsGoal,
    double RawBatchMicroseconds,
    double BridgeBatchMicroseconds,
    double BridgeStepMicroseconds,
    double MessagingMicroseconds,
    double RawCpuMicrosecondsPerBatch,
    double BridgeCpuMicrosecondsPerBatch,
    double EmptyRoundTripMicroseconds);

public sealed record BridgeBenchmarkReport(
    string Bridge,
    int Threads,
    int ProcessorCount,
    double SecondsPerMode,
    string LoadAverageBefore,
    string LoadAverageAfter,
    IReadOnlyList<BridgeBenchmarkResult> Cases,
    string TestspeedCommand,
    double? TestspeedStepsPerSecond,
    string? TestspeedProblem);

/// <summary>
/// Measures what the bridge costs: the same task and batch size stepped in-process and through a bridge on
/// loopback, alternating in rounds, with the same random actions within limits.
/// </summary>
public static class BridgeBenchmark
{
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(3);

    public static BridgeBenchmarkReport Run(BridgeBenchmarkOptions options)
    {
        string loadBefore = LoadAverage();
        var factory = new SimEnvFactory(options.Threads);
        var results = new List<BridgeBenchmarkResult>();
        foreach (var benchCase in options.Cases)
        {
            options.Progress?.Invoke($"{benchCase.Task} × {benchCase.NumEnvs}: starting the bridge");
            using var bridge = StartBridge(options, factory);
            results.Add(Measure(benchCase, factory, bridge, options));
        }

        options.Progress?.Invoke($"running {MujocoTestspeed.Program}");
        var testspeed = MujocoTestspeed.Run(options.TestspeedModel);
        return new BridgeBenchmarkReport(
            options.BridgeExecutable is not null ? "child process, tcp loopback"
                : options.InProcessTransport ? "in-process thread, inproc://" : "in-process thread, tcp loopback",
            options.Threads,
            Environment.ProcessorCount,
            options.Duration.TotalSeconds,
            loadBefore,
            LoadAverage(),
            results,
            testspeed.Command,
            testspeed.StepsPerSecond,
            testspeed.Problem);
    }

    private static LocalBridge StartBridge(BridgeBenchmarkOptions options, SimEnvFactory factory) =>
        options.BridgeExecutable is null
            ? LocalBridge.StartInProcess(factory)
            : LocalBridge.StartProcess(
                options.BridgeExecutable,
                options.BridgeLeadingArguments,
                ["--threads", options.Threads.ToString(System.Globalization.CultureInfo.InvariantCulture), "--quiet"]);

    private static BridgeBenchmarkResult Measure(BridgeBenchmarkCase benchCase, SimEnvFactory factory, LocalBridge bridge, BridgeBenchmarkOptions options)
    {
        var make = new MakeRequest { Task = benchCase.Task, NumEnvs = benchCase.NumEnvs };
        using var raw = factory.Create(make, benchCase.NumEnvs);
        string endpoint = options.InProcessTransport && bridge.InProcessEndpoint is { } inProcess ? inProcess : bridge.Endpoint;
        using var client = BridgeClient.Open(endpoint, make);
        using var self = Process.GetCurrentProcess();
        using var child = bridge.ProcessId is { } pid ? Process.GetProcessById(pid) : null;
        TimeSpan CpuClock()
        {
            self.Refresh();
            child?.Refresh();
            return self.TotalProcessorTime + (child?.TotalProcessorTime ?? TimeSpan.Zero);
        }

        var rawMeter = new ThroughputMeter(raw.Env, seed: 1);
        var bridgeMeter = new ThroughputMeter(client, seed: 1);
        var round = options.Duration / options.Rounds;

        // Warm up both until the JIT has done its tiered recompilation (a fresh bridge process needs a few seconds).
        rawMeter.Measure(WarmUp);
        bridgeMeter.Measure(WarmUp);
        var before = client.GetStats();

        var rawRounds = new List<Throughput>();
        var bridgeRounds = new List<Throughput>();
        for (int r = 0; r < options.Rounds; r++)
        {
            rawRounds.Add(rawMeter.Measure(round, CpuClock));
            bridgeRounds.Add(bridgeMeter.Measure(round, CpuClock));
            options.Progress?.Invoke(
                $"{benchCase.Task} × {benchCase.NumEnvs} round {r + 1}: raw {rawRounds[^1].EnvStepsPerSecond:N0}, " +
                $"bridge {bridgeRounds[^1].EnvStepsPerSecond:N0} env steps/s");
        }

        var after = client.GetStats();
        double rawRate = Median(rawRounds.Select(t => t.EnvStepsPerSecond));
        double bridgeRate = Median(bridgeRounds.Select(t => t.EnvStepsPerSecond));
        double bridgeBatchUs = 1e6 * benchCase.NumEnvs / bridgeRate;
        double bridgeStepUs = 1e6 * (after.StepSeconds - before.StepSeconds) / Math.Max(1, after.BatchSteps - before.BatchSteps);
        double ratio = Median(rawRounds.Zip(bridgeRounds, (raw, bridged) => bridged.EnvStepsPerSecond / raw.EnvStepsPerSecond));
        return new BridgeBenchmarkResult(
            benchCase.Task,
            benchCase.NumEnvs,
            rawRate,
            bridgeRate,
            ratio,
            benchCase.Goal,
            ratio >= benchCase.Goal,
            1e6 * benchCase.NumEnvs / rawRate,
            bridgeBatchUs,
            bridgeStepUs,
            bridgeBatchUs - bridgeStepUs,
            Median(rawRounds.Select(t => t.CpuMicrosecondsPerBatch)),
            Median(bridgeRounds.Select(t => t.CpuMicrosecondsPerBatch)),
            EmptyRoundTrip(client, round));
    }

    /// <summary>Median wall time of a Hello round trip, measured in batches of 100 for <paramref name="duration"/>.</summary>
    private static double EmptyRoundTrip(BridgeClient client, TimeSpan duration)
    {
        var batches = new List<double>();
        long end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        do
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < 100; i++)
            {
                client.Hello();
            }

            batches.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds / 100);
        }
        while (Stopwatch.GetTimestamp() < end);
        return Median(batches);
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
