using System.CommandLine;
using Robotics.Training.Checkpoints;
using Robotics.Training.Monitoring;

namespace Robotics.Cli.Commands;

/// <summary><c>robotics plot RUN_DIR</c>: learning curve and diagnostics as PNG files.</summary>
internal static class PlotCommand
{
    public static Command Create()
    {
        var runDir = new Argument<DirectoryInfo>("run-dir") { Description = "run folder written by robotics train" };
        var output = new Option<DirectoryInfo?>("--out") { Description = "where to write the PNGs (default: RUN_DIR/plots)" };
        var command = new Command("plot", "Draw a run's learning curve and key diagnostics (KL, clip fraction, entropy, explained variance, ...) to PNG.") { runDir, output };
        command.SetAction(parse => TrainingCli.Guard(() =>
        {
            var folder = new RunFolder(parse.GetValue(runDir)!.FullName);
            foreach (var png in RunPlots.Draw(folder.Metrics, parse.GetValue(output)?.FullName ?? folder.Plots))
                Console.WriteLine(png);
            return 0;
        }));
        return command;
    }
}
