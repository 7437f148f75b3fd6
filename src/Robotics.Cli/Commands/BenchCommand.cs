using System.CommandLine;
using System.Globalization;
using NetMQ;
using Robotics.Contract.CommandLine;
using Robotics.SimBridge;
using Robotics.SimBridge.Benchmarks;

namespace Robotics.Cli.Commands;

/// <summary><c>robotics bench NAME</c>: throughput benchmarks. Speed is measured here, never in tests.</summary>
internal static class BenchCommand
{
    /// <summary>One line per benchmark subcommand.</summary>
    private static readonly Func<Command>[] Benchmarks =
    [
        CreateBridge,
        BenchInferenceCommand.Create,
        BenchLoopCommand.Create,
        BenchSerialCommand.Create,
        BenchGradientVarianceCommand.Create,
        BenchUpdateCommand.Create,
        BenchLatencyCommand.Create,
        BenchDelayProxyCommand.Create,
    ];

    public static Command Create()
    {
        var command = new Command("bench", "Measure throughput; see docs/benchmarks.md for recorded figures.");
        foreach (var create in Benchmarks)
        {
            command.Subcommands.Add(create());
        }

        return command;
    }

    /// <summary><c>robotics bench bridge</c>: raw in-process stepping against stepping through a bridge on loopback.</summary>
    private static Command CreateBridge()
    {
        var json = JsonOutput.Option();
        var seconds = new Option<double>("--seconds")
        {
            Description = "stepping time per task and mode (raw, bridge), in seconds",
            DefaultValueFactory = _ => 6,
        };
        var inProcess = new Option<bool>("--in-process")
        {
            Description = "serve the bridge from a thread of this process instead of a child process (still over tcp loopback)",
        };
        var inproc = new Option<bool>("--inproc")
        {
            Description = "serve the bridge from a thread of this process and connect over inproc:// (no TCP): what the transport costs",
        };
        var threads = new Option<int>("--threads")
        {
            Description = "threads that step a batch, in-process and on the bridge alike; 1 is the one-bridge-per-core layout",
            DefaultValueFactory = _ => 1,
        };
        var curve = new Option<bool>("--curve")
        {
            Description = "also step through a second bridge that speaks CURVE (fresh keys), in the same rounds as the plain one, and report the two side by side (tcp only)",
        };
        var command = new Command("bridge", "Compare in-process env steps/s with steps/s through a sim bridge, and with mujoco-testspeed.")
        {
            json, seconds, inProcess, inproc, threads, curve,
        };
        command.SetAction(parse => CliErrors.Known.Run("robotics bench bridge", () =>
        {
            bool asJson = parse.GetValue(json);
            bool overInproc = parse.GetValue(inproc);
            if (parse.GetValue(curve) && overInproc)
            {
                throw new CommandLineException("robotics bench bridge: --curve measures CURVE over tcp loopback, and inproc:// has no CURVE; leave out --inproc");
            }

            BridgeSockets.PreferInlineCompletions();
            BridgeSockets.PoolMessageBuffers();
            var (executable, leading) = parse.GetValue(inProcess) || overInproc ? (null, []) : RoboticsProgram();
            var report = BridgeBenchmark.Run(new BridgeBenchmarkOptions
            {
                Duration = TimeSpan.FromSeconds(parse.GetValue(seconds)),
                Threads = parse.GetValue(threads),
                BridgeExecutable = executable,
                BridgeLeadingArguments = leading,
                InProcessTransport = overInproc,
                Curve = parse.GetValue(curve),
                Progress = line => Console.Error.WriteLine(line),
            });
            NetMQConfig.Cleanup(block: false);
            JsonOutput.Print(asJson, report, Format);
            return 0; // a measurement, not a test: goals are reported, not enforced
        }));
        return command;
    }

    /// <summary>How to start this same program again: the apphost itself, or dotnet with this assembly.</summary>
    private static (string? Executable, IReadOnlyList<string> Leading) RoboticsProgram()
    {
        string path = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell which program is running");
        return Path.GetFileNameWithoutExtension(path) == "dotnet"
            ? (path, [typeof(BenchCommand).Assembly.Location])
            : (path, []);
    }

    private static string Format(BridgeBenchmarkReport report)
    {
        var text = new System.Text.StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"bridge: {report.Bridge}; {report.Threads} stepping threads, {report.ProcessorCount} cores; {report.SecondsPerMode:0.#} s per mode; " +
            $"load average {report.LoadAverageBefore} before, {report.LoadAverageAfter} after");
        text.AppendLine("task                 envs   raw env-steps/s  bridge env-steps/s  ratio  goal   raw µs/batch  bridge µs/batch  (stepping + messaging)  CPU µs/batch raw, bridge");
        foreach (var r in report.Cases)
        {
            text.AppendLine(c,
                $"{r.Task,-20} {r.NumEnvs,4} {r.RawEnvStepsPerSecond,17:N0} {r.BridgeEnvStepsPerSecond,19:N0} {r.Ratio,6:0.00} {(r.MeetsGoal ? "≥" : "<")}{r.Goal,4:0.00} " +
                $"{r.RawBatchMicroseconds,14:0} {r.BridgeBatchMicroseconds,16:0}  {$"({r.BridgeStepMicroseconds:0} + {r.MessagingMicroseconds:0})",-22} " +
                $"{r.RawCpuMicrosecondsPerBatch:0}, {r.BridgeCpuMicrosecondsPerBatch:0}");
        }

        foreach (var r in report.Cases)
        {
            text.AppendLine(c, $"empty request round trip on the {r.Task} bridge: {r.EmptyRoundTripMicroseconds:0} µs");
        }

        if (report.Cases.Any(r => r.Curve is not null))
        {
            text.AppendLine("CURVE against plain, in the same rounds:");
            text.AppendLine("task                 envs  plain env-steps/s  CURVE env-steps/s  CURVE/plain  CURVE/raw  µs/batch plain, CURVE  CPU µs/batch plain, CURVE  GetStats round trip plain, CURVE");
            foreach (var r in report.Cases)
            {
                if (r.Curve is not { } k)
                {
                    continue;
                }

                text.AppendLine(c,
                    $"{r.Task,-20} {r.NumEnvs,4} {r.BridgeEnvStepsPerSecond,18:N0} {k.EnvStepsPerSecond,18:N0} {k.RatioToPlain,12:0.00} {k.RatioToRaw,10:0.00}  " +
                    $"{$"{r.BridgeBatchMicroseconds:0}, {k.BatchMicroseconds:0}",-22} {$"{r.BridgeCpuMicrosecondsPerBatch:0}, {k.CpuMicrosecondsPerBatch:0}",-25} " +
                    $"{k.PlainStatsRoundTripMicroseconds:0}, {k.StatsRoundTripMicroseconds:0} µs");
            }
        }

        text.Append(c, $"{report.TestspeedCommand}: ");
        text.AppendLine(report.TestspeedStepsPerSecond is { } sps ? $"{sps.ToString("N0", c)} physics steps/s" : report.TestspeedProblem);
        return text.ToString();
    }
}
