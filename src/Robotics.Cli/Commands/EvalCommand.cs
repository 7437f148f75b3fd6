using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Robotics.Runtime.Policy;
using Robotics.Training.Checkpoints;
using Robotics.Training.Environments;
using Robotics.Training.Export;
using Robotics.Training.Runner;

namespace Robotics.Cli.Commands;

/// <summary>
/// <c>robotics eval RUN_DIR|CHECKPOINT|POLICY.onnx [--task TASK] --episodes N [--json]</c>: the deterministic policy's
/// return and length. An exported model runs through ONNX Runtime on the same seeded environments as its checkpoint
/// (sim-to-sim), so the two evaluations can be compared episode for episode.
/// </summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var target = new Argument<string>("run-or-checkpoint") { Description = "run folder (uses checkpoints/best.ckpt, else policy.ckpt, else last), a .ckpt file, or an exported .onnx model" };
        var task = new Option<string?>("--task") { Description = "task to evaluate an .onnx model on (default: the task named in the model's contract)" };
        var episodes = new Option<int>("--episodes") { Description = "episodes to run (one per environment)", DefaultValueFactory = _ => 10 };
        var seed = new Option<int>("--seed") { Description = "seed of the evaluation environments", DefaultValueFactory = _ => 12345 };
        var json = new Option<bool>("--json") { Description = "print the result as JSON" };
        var bridges = TrainingCli.BridgeOption();
        var command = new Command("eval", "Run a trained policy deterministically and report mean/std return and episode length.") { target, episodes, seed, json, bridges, task };
        command.SetAction(parse => TrainingCli.Guard(() =>
        {
            int n = parse.GetValue(episodes);
            if (n < 1)
            {
                Console.Error.WriteLine("--episodes must be at least 1");
                return 2;
            }

            var endpoints = parse.GetValue(bridges) ?? [];
            string path = parse.GetValue(target)!;
            if (path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
                return EvaluateOnnx(path, parse.GetValue(task), n, parse.GetValue(seed), endpoints, parse.GetValue(json));

            using var source = endpoints.Length > 0
                ? BridgeEnvironmentSource.Remote(CheckpointFiles.ReadHeader(CheckpointFiles.Resolve(path)).Task, endpoints)
                : null;
            var (checkpoint, header, r) = CheckpointEvaluation.Run(path, n, parse.GetValue(seed), source);
            Print(r, parse.GetValue(json),
                $"{checkpoint} ({header.Task}, {header.Algorithm}, {header.Counters.EnvSteps} steps)",
                new Dictionary<string, object?>
                {
                    ["checkpoint"] = checkpoint,
                    ["task"] = header.Task,
                    ["algorithm"] = header.Algorithm,
                    ["step"] = header.Counters.EnvSteps,
                });
            return 0;
        }));
        return command;
    }

    private static int EvaluateOnnx(string modelPath, string? taskOption, int episodes, int seed, string[] endpoints, bool json)
    {
        if (!File.Exists(modelPath))
        {
            Console.Error.WriteLine($"robotics eval: no model at {modelPath}; write one with 'robotics export RUN_DIR --out {modelPath}'");
            return 2;
        }

        string task;
        using (var model = OnnxPolicy.Load(modelPath))
            task = taskOption ?? model.Metadata.Contract.Task;
        using var source = endpoints.Length > 0
            ? BridgeEnvironmentSource.Remote(task, endpoints)
            : SimEnvironmentSource.ForTask(task, threads: Environment.ProcessorCount, randomize: false);
        using var env = source.CreateEvaluation(episodes);
        var r = OnnxPolicyEvaluator.Run(modelPath, env, seed);
        Print(r, json, $"{modelPath} on {task} (ONNX Runtime)", new Dictionary<string, object?> { ["model"] = modelPath, ["task"] = task });
        return 0;
    }

    /// <summary>One evaluation, as a line per figure or as JSON with <paramref name="identity"/>'s fields first.</summary>
    private static void Print(EvaluationResult r, bool json, string headline, Dictionary<string, object?> identity)
    {
        if (json)
        {
            identity["episodes"] = r.Episodes;
            identity["return_mean"] = r.MeanReturn;
            identity["return_std"] = r.StdReturn;
            identity["return_min"] = r.MinReturn;
            identity["return_max"] = r.MaxReturn;
            identity["length_mean"] = r.MeanLength;
            identity["length_std"] = r.StdLength;
            identity["stats"] = r.Stats;
            identity["episode_list"] = r.EpisodeList.Select(e => new { env = e.Env, @return = e.Return, length = e.Length, terminated = e.Terminated, stats = e.Stats });
            Console.WriteLine(JsonSerializer.Serialize(identity));
            return;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{headline}: {r.Episodes} episodes, return {r.MeanReturn:F2} ± {r.StdReturn:F2} (min {r.MinReturn:F2}, max {r.MaxReturn:F2}), length {r.MeanLength:F1} ± {r.StdLength:F1}"));
        foreach (var (name, mean) in r.Stats) Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name}: {mean:G6} (mean)"));
    }
}
