using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Robotics.Runtime.Deployment;
using Robotics.Runtime.Policy;
using Robotics.Runtime.Telemetry;

namespace Robotics.RobotRuntime;

/// <summary>
/// <c>robotics-runtime bench inference|loop</c>: what this controller can do with this model, as
/// <c>robotics bench inference|loop</c> measure on the training host.
/// </summary>
internal static class BenchVerb
{
    public static Command Create() => new("bench", "Measure inference latency and the control loop on this machine.")
    {
        Inference(),
        Loop(),
    };

    private static Command Inference()
    {
        var policy = new Option<FileInfo>("--policy") { Description = "the ONNX model to time", Required = true };
        var calls = new Option<int>("--calls") { Description = "timed calls after the warm-up", DefaultValueFactory = _ => 20_000 };
        var command = new Command("inference", "Time one inference of the model, one observation per call, one thread.") { policy, calls };
        command.SetAction(parse => Verb.Guard("bench inference", () =>
        {
            var n = parse.GetValue(calls);
            if (n < 1) throw new ArgumentException("--calls must be at least 1");
            using var model = OnnxPolicy.Load(parse.GetValue(policy)!.FullName);
            var random = new Random(5);
            for (int i = 0; i < model.Observation.Length; i++) model.Observation[i] = (float)(random.NextDouble() * 2 - 1);
            for (int i = 0; i < Math.Max(1000, n / 10); i++) model.Run();
            var micros = new double[n];
            for (int i = 0; i < n; i++)
            {
                var start = Stopwatch.GetTimestamp();
                model.Run();
                micros[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            }

            Array.Sort(micros);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{n} calls, {model.ObservationSize} observations -> {model.ActionSize} actions: p50 {At(micros, 0.5):F1} us, p99 {At(micros, 0.99):F1} us, max {micros[^1]:F0} us ({Environment.ProcessorCount} cores)"));
            return 0;
        }));
        return command;
    }

    private static Command Loop()
    {
        var policy = new Option<FileInfo>("--policy") { Description = "the ONNX model in the loop", Required = true };
        var rate = new Option<double>("--rate") { Description = "control rate in Hz", DefaultValueFactory = _ => 500 };
        var seconds = new Option<double>("--seconds") { Description = "how long to run", DefaultValueFactory = _ => 10 };
        var realtime = new Option<bool>("--realtime") { Description = "run the control thread under the real-time FIFO scheduler" };
        var json = new Option<bool>("--json") { Description = "print the summary as JSON" };
        var command = new Command("loop", "Run the control loop with the model against the in-process loopback robot; report period error, overruns and allocations.")
        {
            policy, rate, seconds, realtime, json,
        };
        command.SetAction(parse => Verb.Guard("bench loop", () =>
        {
            using var deployment = RobotDeployment.Prepare(new DeploymentOptions
            {
                PolicyPath = parse.GetValue(policy)!.FullName,
                Link = "loopback",
                RateHz = parse.GetValue(rate),
                Duration = TimeSpan.FromSeconds(parse.GetValue(seconds)),
                Realtime = parse.GetValue(realtime),
            }, Verb.Links());
            var summary = deployment.Run(warn: Console.Error.WriteLine).Summary;
            Console.WriteLine(parse.GetValue(json) ? RunSummaryJson.Serialize(summary) : summary.ToText());
            return 0;
        }));
        return command;
    }

    private static double At(double[] sorted, double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
}
