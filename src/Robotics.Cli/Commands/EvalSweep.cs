using Robotics.Contract.CommandLine;
using Robotics.Contract.Environments;
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
        // "--sweep default": every key alone, one row (table and heatmap) each.
        bool byDefault = sweeps is ["default"];
        List<List<SweepAxis>> grids;
        try
        {
            grids = byDefault
                ? SweepAxis.DefaultSweep.Select(text => new List<SweepAxis> { SweepAxis.Parse(text) }).ToList()
                : [sweeps.Select(SweepAxis.Parse).ToList()];
        }
        catch (FormatException e)
        {
            throw new CommandLineException($"--sweep {e.Message}");
        }
        var axes = grids[0];
        if (!byDefault && (axes.Count > 2 || axes.Select(a => a.Key).Distinct().Count() != axes.Count))
        {
            throw new CommandLineException("--sweep: give one or two different keys (a table and a heatmap per sweep), or 'default' alone; run eval again for other pairs");
        }

        bool onnx = target.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase);
        string title;
        string task;
        Func<IVectorEnv, int, EvaluationResult> evaluate;
        IDisposable? owned = null;
        LoadedTask? loaded = null;
        if (onnx)
        {
            ModelTask.RequireModel(target);
            using (var model = OnnxPolicy.Load(target))
                task = ModelTask.Choose(taskOption, target, model.Metadata.Contract);
            title = Path.GetFileName(target);
            evaluate = (env, s) => OnnxPolicyEvaluator.Run(target, env, s, otherTask: taskOption is not null);
        }
        else
        {
            string path = CheckpointFiles.Resolve(target);
            var (header, config, algorithm) = CheckpointFiles.Load(path, torch.CPU);
            owned = algorithm;
            torch.set_num_threads(config.TorchThreads);
            task = taskOption ?? header.Task;
            title = $"{Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(path)))) ?? path} ({Path.GetFileName(path)})";
            loaded = TaskCatalog.Load(task);
            CheckpointEvaluation.RequireContract(header, loaded.PolicyContract, otherTask: taskOption is not null);
            evaluate = (env, s) => Evaluator.Run(algorithm, env, s);
        }

        using (owned)
        {
            loaded ??= TaskCatalog.Load(task);
            var documents = new List<Dictionary<string, object?>>();
            var results = new List<SweepResult>();
            if (!json) Console.WriteLine($"{title} on {task}, each cell with only the swept perturbations:");
            foreach (var grid in grids)
            {
                var result = RobustnessSweep.Run(loaded, grid, episodes, seed, Environment.ProcessorCount, evaluate,
                    json ? null : cell => Console.Error.Write('.'));
                if (!json) Console.Error.WriteLine();
                results.Add(result);

                // With the default sweep, --plot names the folder for its PNGs.
                string plot = byDefault
                    ? Path.Combine(plotPath ?? DefaultPlotFolder(target, onnx), PlotName(grid))
                    : plotPath ?? Path.Combine(DefaultPlotFolder(target, onnx), PlotName(grid));
                SweepReport.SavePng(result, plot, title);
                if (json)
                {
                    var document = SweepReport.Json(result);
                    document["plot"] = plot;
                    documents.Add(document);
                }
                else
                {
                    Console.WriteLine(SweepReport.Table(result));
                    Console.WriteLine($"heatmap: {plot}");
                }
            }

            var cells = results.SelectMany(r => r.Cells).ToList();
            if (json)
            {
                var document = byDefault
                    ? new Dictionary<string, object?> { ["sweeps"] = documents, ["success_mean"] = cells.Average(c => c.SuccessRate), ["success_min"] = cells.Min(c => c.SuccessRate) }
                    : documents[0];
                document["target"] = target;
                document["task"] = task;
                Console.WriteLine(JsonOutput.Line(document));
            }
            else if (byDefault)
            {
                Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"default sweep: {cells.Count} cells, success {cells.Average(c => c.SuccessRate) * 100:F1}% on average, worst cell {cells.Min(c => c.SuccessRate) * 100:F0}%"));
            }
        }
        return 0;
    }

    private static string PlotName(IReadOnlyList<SweepAxis> axes) => $"sweep-{string.Join("-", axes.Select(a => a.Key))}.png";

    private static string DefaultPlotFolder(string target, bool onnx) =>
        onnx || File.Exists(target) ? Path.GetDirectoryName(Path.GetFullPath(target))! : target;
}
