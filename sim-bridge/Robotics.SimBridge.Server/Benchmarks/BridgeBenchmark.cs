using System.Diagnostics;
using Robotics.Contract.Timing;
using Robotics.SimBridge.Client;
using Robotics.SimBridge.Hosting;
using Robotics.SimBridge.Protocol;
using Robotics.SimBridge.Security;
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

    /// <summary>Stepping of each mode before the rounds, until the JIT has done its tiered recompilation (a fresh bridge process needs a few seconds).</summary>
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Threads that step a batch, in-process and on the bridge alike; 1 is the one-bridge-per-core layout.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>The robotics program for a child-process bridge; null serves the bridge from a thread of this process.</summary>
    public string? BridgeExecutable { get; init; }

    /// <summary>For a bridge in this process: connect over inproc:// instead of tcp loopback (shows what TCP and NetMQ's I/O threads cost).</summary>
    public bool InProcessTransport { get; init; }

    /// <summary>
    /// Also step through a second bridge of the same kind that speaks CURVE (fresh keys, the client allowed), in the
    /// same rounds as the plain one, so that the two are compared under the same load. Over tcp only.
    /// </summary>
    public bool Curve { get; init; }

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
    double EmptyRoundTripMicroseconds)
{
    /// <summary>The same case through a bridge that speaks CURVE, when measured (<see cref="BridgeBenchmarkOptions.Curve"/>).</summary>
    public CurveBenchmarkResult? Curve { get; init; }
}

/// <summary>
/// Stepping through a CURVE bridge, measured in the same rounds as the plain bridge. <see cref="RatioToPlain"/> is the
/// median over rounds of CURVE over plain env-steps/s: below 1 by what encryption costs. The round trips are of a
/// GetStats request on each bridge: a Hello to a bridge with keys carries a key proof that costs two Curve25519
/// operations, once per connection, which would hide the per-message cost.
/// </summary>
public sealed record CurveBenchmarkResult(
    double EnvStepsPerSecond,
    double RatioToPlain,
    double RatioToRaw,
    double BatchMicroseconds,
    double CpuMicrosecondsPerBatch,
    double PlainStatsRoundTripMicroseconds,
    double StatsRoundTripMicroseconds);

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
    public static BridgeBenchmarkReport Run(BridgeBenchmarkOptions options)
    {
        if (options.Curve && options.InProcessTransport)
        {
            throw new ArgumentException("CURVE is measured over tcp loopback: leave out the inproc:// transport");
        }

        string loadBefore = LoadAverage();
        var factory = new SimEnvFactory(options.Threads);
        var results = new List<BridgeBenchmarkResult>();
        using var keys = options.Curve ? BenchmarkKeys.Create() : null;
        foreach (var benchCase in options.Cases)
        {
            options.Progress?.Invoke($"{benchCase.Task} × {benchCase.NumEnvs}: starting the bridge{(keys is null ? "" : "s, plain and CURVE")}");
            using var bridge = StartBridge(options, factory, null);
            using var curveBridge = keys is null ? null : StartBridge(options, factory, keys);
            results.Add(Measure(benchCase, factory, bridge, curveBridge is null ? null : (curveBridge, keys!.Client), options));
        }

        options.Progress?.Invoke($"running {MujocoTestspeed.Program}");
        var testspeed = MujocoTestspeed.Run(options.TestspeedModel);
        return new BridgeBenchmarkReport(
            (options.BridgeExecutable is not null ? "child process, tcp loopback"
                : options.InProcessTransport ? "in-process thread, inproc://" : "in-process thread, tcp loopback")
            + (options.Curve ? "; plain and CURVE" : ""),
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

    private static LocalBridge StartBridge(BridgeBenchmarkOptions options, SimEnvFactory factory, BenchmarkKeys? keys)
    {
        if (options.BridgeExecutable is null)
        {
            return LocalBridge.StartInProcess(factory, new BridgeServerOptions { Keys = keys?.Server });
        }

        string[] arguments = ["--threads", options.Threads.ToString(System.Globalization.CultureInfo.InvariantCulture), "--quiet"];
        return LocalBridge.StartProcess(
            options.BridgeExecutable,
            options.BridgeLeadingArguments,
            keys is null ? arguments : [.. arguments, "--curve-key", keys.BridgeKeyFile, "--allow-clients", keys.ClientPublicFile],
            helloKeys: keys?.Client);
    }

    private static BridgeBenchmarkResult Measure(
        BridgeBenchmarkCase benchCase, SimEnvFactory factory, LocalBridge bridge, (LocalBridge Bridge, CurveClientKeys Keys)? curve, BridgeBenchmarkOptions options)
    {
        var make = new MakeRequest { Task = benchCase.Task, NumEnvs = benchCase.NumEnvs };
        using var raw = factory.Create(make, benchCase.NumEnvs);
        string endpoint = options.InProcessTransport && bridge.InProcessEndpoint is { } inProcess ? inProcess : bridge.Endpoint;
        using var client = BridgeClient.Open(endpoint, make);
        using var curveClient = curve is { } c ? BridgeClient.Open(c.Bridge.Endpoint, make, new BridgeClientOptions { Keys = c.Keys }) : null;
        using var self = Process.GetCurrentProcess();
        using var child = bridge.ProcessId is { } pid ? Process.GetProcessById(pid) : null;
        using var curveChild = curve?.Bridge.ProcessId is { } curvePid ? Process.GetProcessById(curvePid) : null;

        // This process and the bridge being stepped (the other bridge idles meanwhile).
        Func<TimeSpan> CpuClock(Process? bridgeProcess) => () =>
        {
            self.Refresh();
            bridgeProcess?.Refresh();
            return self.TotalProcessorTime + (bridgeProcess?.TotalProcessorTime ?? TimeSpan.Zero);
        };

        var rawMeter = new ThroughputMeter(raw.Env, seed: 1);
        var bridgeMeter = new ThroughputMeter(client, seed: 1);
        var curveMeter = curveClient is null ? null : new ThroughputMeter(curveClient, seed: 1);
        var round = options.Duration / options.Rounds;

        rawMeter.Measure(options.WarmUp);
        bridgeMeter.Measure(options.WarmUp);
        curveMeter?.Measure(options.WarmUp);
        var before = client.GetStats();

        var rawRounds = new List<Throughput>();
        var bridgeRounds = new List<Throughput>();
        var curveRounds = new List<Throughput>();
        for (int r = 0; r < options.Rounds; r++)
        {
            rawRounds.Add(rawMeter.Measure(round, CpuClock(null)));
            bridgeRounds.Add(bridgeMeter.Measure(round, CpuClock(child)));
            if (curveMeter is not null)
            {
                curveRounds.Add(curveMeter.Measure(round, CpuClock(curveChild)));
            }

            options.Progress?.Invoke(
                $"{benchCase.Task} × {benchCase.NumEnvs} round {r + 1}: raw {rawRounds[^1].EnvStepsPerSecond:N0}, " +
                $"bridge {bridgeRounds[^1].EnvStepsPerSecond:N0}{(curveMeter is null ? "" : $", CURVE {curveRounds[^1].EnvStepsPerSecond:N0}")} env steps/s");
        }

        var after = client.GetStats();
        double rawRate = Medians.Of(rawRounds.Select(t => t.EnvStepsPerSecond));
        double bridgeRate = Medians.Of(bridgeRounds.Select(t => t.EnvStepsPerSecond));
        double bridgeBatchUs = 1e6 * benchCase.NumEnvs / bridgeRate;
        double bridgeStepUs = 1e6 * (after.StepSeconds - before.StepSeconds) / Math.Max(1, after.BatchSteps - before.BatchSteps);
        double ratio = Medians.Of(rawRounds.Zip(bridgeRounds, (raw, bridged) => bridged.EnvStepsPerSecond / raw.EnvStepsPerSecond));
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
            Medians.Of(rawRounds.Select(t => t.CpuMicrosecondsPerBatch)),
            Medians.Of(bridgeRounds.Select(t => t.CpuMicrosecondsPerBatch)),
            RoundTrip(() => client.Hello(), round))
        {
            Curve = curveClient is null ? null : CurveResult(benchCase, rawRounds, bridgeRounds, curveRounds, client, curveClient, round),
        };
    }

    private static CurveBenchmarkResult CurveResult(
        BridgeBenchmarkCase benchCase, List<Throughput> rawRounds, List<Throughput> plainRounds, List<Throughput> curveRounds,
        BridgeClient plainClient, BridgeClient curveClient, TimeSpan round)
    {
        double rate = Medians.Of(curveRounds.Select(t => t.EnvStepsPerSecond));
        return new CurveBenchmarkResult(
            rate,
            Medians.Of(plainRounds.Zip(curveRounds, (plain, curve) => curve.EnvStepsPerSecond / plain.EnvStepsPerSecond)),
            Medians.Of(rawRounds.Zip(curveRounds, (raw, curve) => curve.EnvStepsPerSecond / raw.EnvStepsPerSecond)),
            1e6 * benchCase.NumEnvs / rate,
            Medians.Of(curveRounds.Select(t => t.CpuMicrosecondsPerBatch)),
            RoundTrip(() => plainClient.GetStats(), round),
            RoundTrip(() => curveClient.GetStats(), round));
    }

    /// <summary>Median wall time of a small request's round trip, measured in batches of 100 for <paramref name="duration"/>.</summary>
    private static double RoundTrip(Action request, TimeSpan duration)
    {
        var batches = new List<double>();
        long end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        do
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < 100; i++)
            {
                request();
            }

            batches.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds / 100);
        }
        while (Stopwatch.GetTimestamp() < end);
        return Medians.Of(batches);
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
}
