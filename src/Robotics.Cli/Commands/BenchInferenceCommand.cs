using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Robotics.Runtime.Policy;
using Robotics.Training.Export;
using TorchSharp;

namespace Robotics.Cli.Commands;

/// <summary>
/// <c>robotics bench inference</c>: per-call latency of one observation through ONNX Runtime (as the robot
/// runtime calls it) and through the TorchSharp forward pass, on the same policy, one thread each.
/// </summary>
internal static class BenchInferenceCommand
{
    private const double GoalP99Micros = 100;

    public static Command Create()
    {
        var json = JsonOutput.Option();
        var calls = new Option<int>("--calls") { Description = "timed calls per engine and size", DefaultValueFactory = _ => 20_000 };
        var command = new Command("inference", "Per-call latency p50/p99 of ONNX Runtime and TorchSharp on 64x64 and 256x256 policies (one thread).")
        {
            json, calls,
        };
        command.SetAction(parse => CliErrors.Known.Run("robotics bench inference", () =>
        {
            var report = Run(CliErrors.Positive(parse.GetValue(calls), "--calls"));
            JsonOutput.Print(parse.GetValue(json), report, Format);
            return report.Cases.Where(c => c.Hidden == 256 && c.Engine == "onnxruntime").All(c => c.P99Micros <= GoalP99Micros) ? 0 : 3;
        }));
        return command;
    }

    public sealed record InferenceCase(string Engine, int Hidden, int Observations, int Actions, int Calls, double P50Micros, double P99Micros, double MeanMicros, double MaxMicros);

    public sealed record InferenceReport(int ProcessorCount, int Threads, double GoalOnnxP99Micros256, IReadOnlyList<InferenceCase> Cases, string? TorchSharpUnavailable);

    private static InferenceReport Run(int calls)
    {
        var torchProblem = TryLoadTorch();
        var cases = new List<InferenceCase>();
        foreach (var hidden in new[] { 64, 256 })
        {
            var policy = BenchPolicies.Random(BenchPolicies.Contract(500), hidden);
            var observations = ExportCheckSamples.Create(policy, 256, seed: 5);
            int n = policy.ObservationSize;

            using (var onnx = OnnxPolicy.Load(PolicyGraphBuilder.Build(policy, PolicyGraphBuilder.ProjectVersion), "bench policy"))
            {
                cases.Add(Measure("onnxruntime", hidden, policy.ObservationSize, policy.ActionSize, calls, i =>
                {
                    observations.AsSpan(i % 256 * n, n).CopyTo(onnx.Observation);
                    onnx.Run();
                }));
            }

            if (torchProblem is not null) continue;
            using (var torchForward = new TorchPolicyForward(policy))
            {
                var actions = new float[policy.ActionSize];
                cases.Add(Measure("torchsharp", hidden, policy.ObservationSize, policy.ActionSize, calls, i =>
                    torchForward.Forward(observations.AsSpan(i % 256 * n, n), actions)));
            }
        }

        return new InferenceReport(Environment.ProcessorCount, 1, GoalP99Micros, cases, torchProblem);
    }

    // The ONNX figures are worth having even where TorchSharp's native libraries cannot load.
    private static string? TryLoadTorch()
    {
        try
        {
            torch.set_num_threads(1);
            return null;
        }
        catch (TypeInitializationException e)
        {
            var reason = (e.InnerException ?? e).Message.Split('\n')[0];
            return $"TorchSharp could not load its native library, so only ONNX Runtime was measured: {reason}";
        }
    }

    private static InferenceCase Measure(string engine, int hidden, int obs, int act, int calls, Action<int> call)
    {
        for (int i = 0; i < Math.Max(1000, calls / 10); i++) call(i); // warm up caches and JIT tiers
        var micros = new double[calls];
        for (int i = 0; i < calls; i++)
        {
            var start = Stopwatch.GetTimestamp();
            call(i);
            micros[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        Array.Sort(micros);
        return new InferenceCase(engine, hidden, obs, act, calls,
            Percentile(micros, 0.50), Percentile(micros, 0.99), micros.Average(), micros[^1]);
    }

    private static double Percentile(double[] sorted, double q) =>
        Math.Round(sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)], 2);

    private static string Format(InferenceReport report)
    {
        var s = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        s.AppendLine(c, $"one observation per call, {report.Threads} thread, {report.ProcessorCount} cores");
        s.AppendLine("engine        network   p50 µs   p99 µs  mean µs   max µs");
        foreach (var r in report.Cases)
            s.AppendLine(c, $"{r.Engine,-12} {r.Hidden,4}x{r.Hidden,-4} {r.P50Micros,8:F1} {r.P99Micros,8:F1} {r.MeanMicros,8:F1} {r.MaxMicros,8:F0}");
        if (report.TorchSharpUnavailable is not null) s.AppendLine(report.TorchSharpUnavailable);
        s.Append(c, $"goal: ONNX Runtime p99 <= {report.GoalOnnxP99Micros256} µs for 256x256");
        return s.ToString();
    }
}
