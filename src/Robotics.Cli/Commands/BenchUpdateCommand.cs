using System.CommandLine;
using System.Globalization;
using Robotics.Training.Algorithms.Ppo;
using Robotics.Training.Configuration;
using Robotics.Training.Runner;
using Robotics.Training.Tensors;

namespace Robotics.Cli.Commands;

/// <summary>
/// <c>robotics bench update</c>: the time of one PPO update, collecting and learning, with the minibatch gradient by
/// autograd and by hand, from a training config (default: the cartpole balance config, 64x64 networks).
/// </summary>
internal static class BenchUpdateCommand
{
    public static Command Create()
    {
        var json = JsonOutput.Option();
        var config = new Option<FileInfo>("--config")
        {
            Description = "PPO training config whose task, networks, batch and minibatches are timed",
            DefaultValueFactory = _ => new FileInfo(Path.Combine("configs", "training", "cartpole-balance-ppo.yaml")),
        };
        var updates = new Option<int>("--updates") { Description = "timed updates per gradient path", DefaultValueFactory = _ => 20 };
        var warmup = new Option<int>("--warmup") { Description = "untimed updates first", DefaultValueFactory = _ => 3 };
        var inProcess = new Option<bool>("--in-process") { Description = "step MuJoCo in this process instead of through local bridges" };
        var command = new Command("update",
            "Time PPO updates (collect, learn; learning split into gradients, optimizer and the rest) with autograd and with the hand-written gradient.")
        {
            json, config, updates, warmup, inProcess,
        };
        command.SetAction(parse => CliErrors.Training(() =>
        {
            string path = parse.GetValue(config)!.FullName;
            var loaded = TrainingConfigFile.Load(path);
            TrainingConfigFile.Validate(loaded, path);
            var options = new UpdateBenchmarkOptions
            {
                Updates = CliErrors.Positive(parse.GetValue(updates), "--updates"),
                WarmupUpdates = Math.Max(0, parse.GetValue(warmup)),
            };
            bool asJson = parse.GetValue(json);
            bool local = parse.GetValue(inProcess);
            UpdateBenchmarkResult result;
            using (var source = EnvironmentChoice.For(loaded, [], local, EnvironmentOptions.LocalBridgeStarter(loaded.Task), line => Console.Error.WriteLine($"[bridge] {line}")))
            {
                result = UpdateBenchmark.Measure(loaded, source, options, asJson ? null : line => Console.Error.WriteLine(line));
            }

            NetMQ.NetMQConfig.Cleanup(block: false);
            var ppo = loaded.Options<PpoOptions>();
            var report = new Report(loaded.Task, loaded.Policy.HiddenSizes, loaded.NumEnvs * ppo.RolloutSteps, ppo.Minibatches,
                ppo.Epochs, local ? "in-process" : "local bridges", Environment.ProcessorCount, loaded.TorchThreads, result.Bridge, result.Timings);
            JsonOutput.Print(asJson, report, Format);
            return 0; // a measurement: the learning-share goal is reported, not enforced
        }));
        return command;
    }

    public sealed record Report(
        string Task, IReadOnlyList<int> HiddenSizes, int Batch, int Minibatches, int Epochs, string Environments, int ProcessorCount, int TorchThreads,
        BridgeResult Bridge, IReadOnlyList<UpdateTiming> Timings);

    private static string Format(Report r)
    {
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture,
                $"{r.Task}: networks {string.Join("x", r.HiddenSizes)}, batch {r.Batch} in {r.Minibatches} minibatches x {r.Epochs} epochs, {r.Environments}, {r.ProcessorCount} cores, {r.TorchThreads} torch thread(s), libtorch kernels {KernelChoice.Current() ?? "(widest)"}; medians per update"),
            string.Create(CultureInfo.InvariantCulture,
                $"environments alone (random actions, no policy): {r.Bridge.RolloutMs:F1} ms per rollout, {r.Bridge.StepsPerSecond:F0} steps/s"),
            $"{"gradients",-10} {"collect ms",11} {"env wait",9} {"learn ms",9} {"gradient",9} {"optimizer",10} {"other",7} {"us/step grad",13} {"us/step opt",12} {"share",6} {"training steps/s",17} {"of alone",9}",
        };
        foreach (var t in r.Timings)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"{t.Gradients,-10} {t.CollectMs,11:F1} {t.EnvWaitMs,9:F1} {t.LearnMs,9:F1} {t.GradientMs,9:F1} {t.OptimizerMs,10:F1} {t.OtherMs,7:F1} {t.GradientMicrosecondsPerStep,13:F0} {t.OptimizerMicrosecondsPerStep,12:F0} {t.LearnShare,6:F2} {t.TrainingStepsPerSecond,17:F0} {t.FractionOfBridge,9:F2}"));
        }

        lines.Add("share = learn / (collect + learn) of the median update; a training run's share is over all its updates (perf/learn_fraction)");
        lines.Add("env wait = the part of collect spent blocked on the environments; collect - env wait is the trainer's own work (policy, normalization, storage)");
        lines.Add("of alone = training steps/s over the environments' steps/s alone");
        return string.Join(Environment.NewLine, lines);
    }
}
