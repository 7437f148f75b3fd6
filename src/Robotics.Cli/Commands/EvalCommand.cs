using System.CommandLine;
using System.Globalization;
using Robotics.Contract.CommandLine;
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
        var target = new Argument<string>("run-or-checkpoint") { Description = "run folder (uses checkpoints/best.ckpt, else policy.ckpt, else checkpoints/last.ckpt, else the newest checkpoints/update_*.ckpt), a .ckpt file, or an exported .onnx model" };
        var task = new Option<string?>("--task") { Description = "task to evaluate on: a name or the path of a task .yaml file (default: the policy's own task; pass the file for a task kept outside configs/). Another task of the same robot, observations and actions is accepted, e.g. the same walk with other randomization" };
        var episodes = new Option<int>("--episodes") { Description = "episodes to run (one per environment)", DefaultValueFactory = _ => 10 };
        var seed = new Option<int>("--seed") { Description = "seed of the evaluation environments", DefaultValueFactory = _ => 12345 };
        var json = JsonOutput.Option("print the result as JSON");
        var bridges = EnvironmentOptions.Bridges();
        var allCheckpoints = new Option<bool>("--all-checkpoints") { Description = "evaluate every numbered checkpoint of the run folder and its final policy, in order (a learning curve with as many episodes as you ask)" };
        var success = new Option<string?>("--success") { Description = "also report the share of episodes meeting STATISTIC<VALUE or STATISTIC>VALUE on a task statistic, e.g. final/distance<0.02" };
        var randomize = new Option<bool>("--randomize") { Description = "evaluate with the task's domain randomization on (physics, latency, noise, pushes), in this process" };
        var sweep = new Option<string[]>("--sweep") { Description = $"evaluate across a grid of perturbations: KEY=LOW:HIGH:N, once or twice, KEY one of {string.Join(", ", Robotics.Training.Robustness.SweepAxis.Keys)}; or 'default' alone for every key in turn ({string.Join(" ", Robotics.Training.Robustness.SweepAxis.DefaultSweep)}); writes a table and a heatmap PNG", AllowMultipleArgumentsPerToken = false };
        var plot = new Option<string?>("--plot") { Description = "where --sweep writes its heatmap (default: sweep-KEYS.png beside the model or in the run folder); with --sweep default, the folder for its PNGs" };
        var command = new Command("eval", "Run a trained policy deterministically and report mean/std return and episode length.")
        {
            target, episodes, seed, json, bridges, task, allCheckpoints, success, randomize, sweep, plot,
        };
        command.SetAction(parse => CliErrors.Training(() =>
        {
            int n = parse.GetValue(episodes);
            if (n < 1)
            {
                throw new CommandLineException("--episodes must be at least 1");
            }

            var endpoints = parse.GetValue(bridges) ?? [];
            string path = parse.GetValue(target)!;
            SuccessCriterion? criterion = null;
            try
            {
                if (parse.GetValue(success) is { } text) criterion = SuccessCriterion.Parse(text);
            }
            catch (FormatException e)
            {
                throw new CommandLineException($"--success: {e.Message}");
            }

            bool randomized = parse.GetValue(randomize);
            if ((randomized || parse.GetValue(sweep) is { Length: > 0 }) && endpoints.Length > 0)
            {
                throw new CommandLineException("--randomize and --sweep evaluate in this process; leave out --bridge");
            }

            if (parse.GetValue(sweep) is { Length: > 0 } sweeps)
                return EvalSweep.Run(path, sweeps, parse.GetValue(task), n, parse.GetValue(seed), parse.GetValue(plot), parse.GetValue(json));
            if (path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
                return EvaluateOnnx(path, parse.GetValue(task), n, parse.GetValue(seed), endpoints, parse.GetValue(json), criterion, randomized);
            string? taskOption = parse.GetValue(task);
            if (parse.GetValue(allCheckpoints))
                return EvaluateAll(path, taskOption, n, parse.GetValue(seed), endpoints, parse.GetValue(json), criterion);

            string evaluatedTask = taskOption ?? CheckpointFiles.ReadHeader(CheckpointFiles.Resolve(path)).Task;
            using var source = endpoints.Length > 0
                ? BridgeEnvironmentSource.Remote(evaluatedTask, endpoints)
                : randomized || taskOption is not null ? SimEnvironmentSource.ForTask(evaluatedTask, threads: Environment.ProcessorCount, randomize: randomized)
                : null;
            var (checkpoint, header, r) = CheckpointEvaluation.Run(path, n, parse.GetValue(seed), source, line => Console.Error.WriteLine($"note: {line}"),
                otherTask: taskOption is not null);
            var identity = Identity(checkpoint, header);
            string on = "";
            if (taskOption is not null)
            {
                identity["evaluated_on"] = taskOption;
                on = $" on {taskOption}";
            }

            Print(r, parse.GetValue(json), criterion,
                $"{checkpoint} ({header.Task}, {header.Algorithm}, {header.Counters.EnvSteps} steps){on}",
                identity);
            return 0;
        }));
        return command;
    }

    /// <summary>Every numbered checkpoint of a run and its final policy, one line (or one JSON object) each.</summary>
    private static int EvaluateAll(string runDir, string? taskOption, int episodes, int seed, string[] endpoints, bool json, SuccessCriterion? criterion)
    {
        var folder = new RunFolder(runDir);
        var checkpoints = folder.CheckpointsInOrder();
        if (checkpoints.Count == 0)
        {
            throw new CommandLineException($"robotics eval: {folder.Root} has no numbered checkpoints (checkpoints/update_*.ckpt) and no final policy; --all-checkpoints needs a run folder");
        }

        string task = taskOption ?? CheckpointFiles.ReadHeader(checkpoints[0]).Task;
        using var source = endpoints.Length > 0 ? BridgeEnvironmentSource.Remote(task, endpoints)
            : taskOption is not null ? SimEnvironmentSource.ForTask(task, threads: Environment.ProcessorCount, randomize: false)
            : null;
        var results = new List<Dictionary<string, object?>>();
        foreach (var path in checkpoints)
        {
            var (checkpoint, header, r) = CheckpointEvaluation.Run(path, episodes, seed, source, line => Console.Error.WriteLine($"note: {line}"), otherTask: taskOption is not null);
            var summary = Identity(checkpoint, header);
            AddSummary(summary, r, criterion, episodeList: false);
            results.Add(summary);
            if (!json)
            {
                string successText = criterion is null ? "" : string.Create(CultureInfo.InvariantCulture, $"  {criterion}: {(double)summary["success"]! * 100:F0}%");
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{Path.GetFileName(checkpoint),-20} step {header.Counters.EnvSteps,9}  return {r.MeanReturn,9:F2} ± {r.StdReturn,7:F2}  length {r.MeanLength,7:F1}{successText}"));
            }
        }

        if (json) Console.WriteLine(JsonOutput.Line(results));
        return 0;
    }

    private static Dictionary<string, object?> Identity(string checkpoint, CheckpointHeader header) => new()
    {
        ["checkpoint"] = checkpoint,
        ["task"] = header.Task,
        ["algorithm"] = header.Algorithm,
        ["step"] = header.Counters.EnvSteps,
    };

    private static int EvaluateOnnx(string modelPath, string? taskOption, int episodes, int seed, string[] endpoints, bool json, SuccessCriterion? criterion, bool randomize)
    {
        ModelTask.RequireModel(modelPath);

        string task;
        using (var model = OnnxPolicy.Load(modelPath))
            task = ModelTask.Choose(taskOption, modelPath, model.Metadata.Contract, onRemoteBridges: endpoints.Length > 0);
        using var source = endpoints.Length > 0
            ? BridgeEnvironmentSource.Remote(task, endpoints)
            : SimEnvironmentSource.ForTask(task, threads: Environment.ProcessorCount, randomize: randomize);
        using var env = source.CreateEvaluation(episodes);
        var r = OnnxPolicyEvaluator.Run(modelPath, env, seed, otherTask: taskOption is not null);
        Print(r, json, criterion, $"{modelPath} on {task} (ONNX Runtime)", new Dictionary<string, object?> { ["model"] = modelPath, ["task"] = task });
        return 0;
    }

    /// <summary>One evaluation, as a line per figure or as JSON with <paramref name="identity"/>'s fields first.</summary>
    private static void Print(EvaluationResult r, bool json, SuccessCriterion? criterion, string headline, Dictionary<string, object?> identity)
    {
        AddSummary(identity, r, criterion, episodeList: true);
        if (json)
        {
            Console.WriteLine(JsonOutput.Line(identity));
            return;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{headline}: {r.Episodes} episodes, return {r.MeanReturn:F2} ± {r.StdReturn:F2} (min {r.MinReturn:F2}, max {r.MaxReturn:F2}), length {r.MeanLength:F1} ± {r.StdLength:F1}"));
        if (criterion is not null) Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  success ({criterion}): {(double)identity["success"]! * 100:F0}% of the episodes"));
        foreach (var (name, mean) in r.Stats) Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name}: {mean:G6} (mean)"));
    }

    /// <summary>The evaluation's figures, added to <paramref name="into"/> under their JSON names.</summary>
    private static void AddSummary(Dictionary<string, object?> into, EvaluationResult r, SuccessCriterion? criterion, bool episodeList)
    {
        into["episodes"] = r.Episodes;
        into["return_mean"] = r.MeanReturn;
        into["return_std"] = r.StdReturn;
        into["return_min"] = r.MinReturn;
        into["return_max"] = r.MaxReturn;
        into["length_mean"] = r.MeanLength;
        into["length_std"] = r.StdLength;
        if (criterion is not null)
        {
            into["success_criterion"] = criterion.ToString();
            into["success"] = criterion.Share(r.EpisodeList);
        }

        into["stats"] = r.Stats;
        if (episodeList)
            into["episode_list"] = r.EpisodeList.Select(e => new { env = e.Env, @return = e.Return, length = e.Length, terminated = e.Terminated, stats = e.Stats });
    }
}
