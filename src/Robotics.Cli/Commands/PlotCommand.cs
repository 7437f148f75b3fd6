using System.CommandLine;
using Robotics.Training.Checkpoints;
using Robotics.Training.Monitoring;

namespace Robotics.Cli.Commands;

/// <summary>
/// <c>robotics plot RUN_DIR</c>: learning curve and diagnostics as PNG files; <c>robotics plot TELEMETRY.csv --truth
/// TRUTH.csv</c>: commanded against achieved velocity of a deployment.
/// </summary>
internal static class PlotCommand
{
    public static Command Create()
    {
        var target = new Argument<string>("target") { Description = "run folder written by robotics train, or a telemetry CSV written by 'run --telemetry' (with --truth)" };
        var output = new Option<string?>("--out") { Description = "where to write the PNGs (default: RUN_DIR/plots; for a telemetry CSV, tracking.png beside it)" };
        var truth = new Option<string?>("--truth") { Description = "with a telemetry CSV: the robot's true motion (sim:ROBOT?truth=FILE or emulate --truth FILE), drawn against the commanded velocity" };
        var command = new Command("plot", "Draw a run's learning curve and key diagnostics (KL, clip fraction, entropy, explained variance, ...) to PNG, or a deployment's commanded against achieved velocity.") { target, output, truth };
        command.SetAction(parse => CliErrors.Training(() =>
        {
            var path = parse.GetValue(target)!;
            if (File.Exists(path))
            {
                var truthPath = parse.GetValue(truth)
                    ?? throw new InvalidDataException($"{path} is a file: a telemetry CSV is drawn against the robot's true motion, so pass --truth FILE (written by sim:ROBOT?truth=FILE or emulate --truth FILE)");
                var png = parse.GetValue(output) ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "tracking.png");
                TrackingPlot.Draw(path, truthPath, png);
                Console.WriteLine(png);
                return 0;
            }

            var folder = new RunFolder(Path.GetFullPath(path));
            foreach (var png in RunPlots.Draw(folder.Metrics, parse.GetValue(output) is { } o ? Path.GetFullPath(o) : folder.Plots))
                Console.WriteLine(png);
            return 0;
        }));
        return command;
    }
}
