using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Robotics.Training.Checkpoints;
using Robotics.Training.Environments;
using Robotics.Training.Runner;

namespace Robotics.Cli.Commands;

/// <summary><c>robotics eval RUN_DIR|CHECKPOINT --episodes N [--json]</c>: the deterministic policy's return and length.</summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var target = new Argument<string>("run-or-checkpoint") { Description = "run folder (uses checkpoints/best.ckpt, else policy.ckpt, else last) or a .ckpt file" };
        var episodes = new Option<int>("--episodes") { Description = "episodes to run (one per environment)", DefaultValueFactory = _ => 10 };
        var seed = new Option<int>("--seed") { Description = "seed of the evaluation environments", DefaultValueFactory = _ => 12345 };
        var json = new Option<bool>("--json") { Description = "print the result as JSON" };
        var bridges = TrainingCli.BridgeOption();
        var command = new Command("eval", "Run a trained policy deterministically and report mean/std return and episode length.") { target, episodes, seed, json, bridges };
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
            using var source = endpoints.Length > 0
                ? BridgeEnvironmentSource.Remote(CheckpointFiles.ReadHeader(CheckpointFiles.Resolve(path)).Task, endpoints)
                : null;
            var (checkpoint, header, r) = CheckpointEvaluation.Run(path, n, parse.GetValue(seed), source);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    checkpoint,
                    task = header.Task,
                    algorithm = header.Algorithm,
                    step = header.Counters.EnvSteps,
                    episodes = r.Episodes,
                    return_mean = r.MeanReturn,
                    return_std = r.StdReturn,
                    return_min = r.MinReturn,
                    return_max = r.MaxReturn,
                    length_mean = r.MeanLength,
                    length_std = r.StdLength,
                    stats = r.Stats,
                    episode_list = r.EpisodeList.Select(e => new { env = e.Env, @return = e.Return, length = e.Length, terminated = e.Terminated, stats = e.Stats }),
                }));
            }
            else
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{checkpoint} ({header.Task}, {header.Algorithm}, {header.Counters.EnvSteps} steps): {r.Episodes} episodes, return {r.MeanReturn:F2} ± {r.StdReturn:F2} (min {r.MinReturn:F2}, max {r.MaxReturn:F2}), length {r.MeanLength:F1} ± {r.StdLength:F1}"));
                foreach (var (name, mean) in r.Stats) Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name}: {mean:G6} (mean)"));
            }

            return 0;
        }));
        return command;
    }
}
