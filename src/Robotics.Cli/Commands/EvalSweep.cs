using System.Text.Json;
using Robotics.Runtime.Policy;
using Robotics.Sim.Tasks;
using Robotics.Training.Checkpoints;
using Robotics.Training.Export;
using Robotics.Training.Robustness;
using Robotics.Training.Runner;
using TorchSharp;

namespace Robotics.Cli.Commands;

/// <summary><c>robotics eval TARGET --sweep KEY=LOW:HIGH:N [--sweep ...]</c>: success and return over a grid of perturbations.</summary>
internal static class EvalSweep
{
    public static int Run(string target, string[] sweeps, string? taskOption, int episodes, int seed, string? plotPath, bool json)
    {
        List<SweepAxis> axes;
        try
        {
            axes = sweeps.Select(SweepAxis.Parse).ToList();
        }
        catch (FormatException e)
        {
            Console.Error.WriteLine($"--sweep {e.Message}");
            return 2;
        }
        if (axes.Count > 2 || axes.Select(a => a.Key).Distinct().Count() != axes.Count)
        {
            Console.Error.WriteLine("--sweep: give one or two different keys (a table and a heatmap per sweep); run eval again for other pairs");
            return 2;
        }

        bool onnx = target.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase);
        string title;
        string task;
        Func<Robotics.Sim.Environments.IVectorEnv, int, EvaluationResult> evaluate;
        IDisposable? owned = null;
        LoadedTask? loaded = null;
        if (onnx)
        {
            if (!File.Exists(target))
            {
                Console.Error.WriteLine($"robotics eval: no model at {target}; write one with 'robotics export RUN_DIR --out {target}'");
                return 2;
            }
            using (var model = OnnxPolicy.Load(target))
                task = ModelTask.Choose(taskOption, target, model.Metadata.Contract);
            title = Path.GetFileName(target);
            evaluate = (env, s) => OnnxPolicyEvaluator.Run(target, env, s);
        }
        else
        {
            string path = CheckpointFiles.Resolve(target);
            var (header, config, algorithm) = CheckpointFiles.Load(path, torch.CPU);
            owned = algorithm;
            torch.set_num_threads(config.TorchThreads);
            task = header.Task;
            title = $"{Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(path)))) ?? path} ({Path.GetFileName(path)})";
            loaded = TaskCatalog.Load(task);
            CheckpointEvaluation.RequireContract(header, loaded.PolicyContract);
            evaluate = (env, s) => Evaluator.Run(algorithm, env, s);
        }

        using (owned)
        {
            loaded ??= TaskCatalog.Load(task);
            var result = RobustnessSweep.Run(loaded, axes, episodes, seed, Environment.ProcessorCount, evaluate,
                json ? null : cell => Console.Error.Write('.'));
            if (!json) Console.Error.WriteLine();

            string plot = plotPath ?? DefaultPlotPath(target, onnx, axes);
            SweepReport.SavePng(result, plot, title);
            if (json)
            {
                var document = SweepReport.Json(result);
                document["target"] = target;
                document["task"] = task;
                document["plot"] = plot;
                Console.WriteLine(JsonSerializer.Serialize(document));
            }
            else
            {
                Console.WriteLine($"{title} on {task}, each cell with only the swept perturbations:");
                Console.WriteLine(SweepReport.Table(result));
                Console.WriteLine($"heatmap: {plot}");
            }
        }
        return 0;
    }

    private static string DefaultPlotPath(string target, bool onnx, IReadOnlyList<SweepAxis> axes)
    {
        string name = $"sweep-{string.Join("-", axes.Select(a => a.Key))}.png";
        string folder = onnx || File.Exists(target) ? Path.GetDirectoryName(Path.GetFullPath(target))! : target;
        return Path.Combine(folder, name);
    }
}
