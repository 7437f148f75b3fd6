using System.CommandLine;
using System.Globalization;
using Robotics.Contract;
using Robotics.Runtime.Policy;
using Robotics.Training.Export;

namespace Robotics.Cli.Commands;

/// <summary><c>robotics export RUN_DIR|CHECKPOINT --out policy.onnx</c>: the trained policy as a checked ONNX model.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var source = new Argument<string>("run") { Description = "a run folder (its checkpoints/best.ckpt, else the final policy.ckpt, else checkpoints/last.ckpt, else the newest checkpoints/update_*.ckpt) or a checkpoint file, e.g. RUN/policy.ckpt for the final policy" };
        var output = new Option<FileInfo>("--out", "-o") { Description = "where to write the ONNX model", Required = true };
        var command = new Command("export", "Export a trained policy to ONNX (raw observations in, commands in robot units out), checked against the trained network before it is written.")
        {
            source, output,
        };
        command.SetAction(parse => CliErrors.Known.Run("robotics export", () =>
        {
            Print(CheckpointExport.Run(parse.GetValue(source)!, parse.GetValue(output)!.FullName, line => Console.Error.WriteLine($"note: {line}")));
            return 0;
        }));
        return command;
    }

    private static void Print(ExportReport report)
    {
        var c = CultureInfo.InvariantCulture;
        var m = report.Metadata;
        Console.WriteLine(string.Create(c, $"wrote {report.Path} ({report.Bytes:N0} bytes)"));
        Console.WriteLine(string.Create(c, $"  {m.Algorithm} policy of run '{m.RunName}' at step {m.Step:N0}; robot '{m.Contract.Robot.Robot}', task '{m.Contract.Task}'"));
        Console.WriteLine(string.Create(c, $"  obs [batch, {m.Contract.ObservationSize}] -> actions [batch, {m.Contract.ActionSize}]; contract {m.Contract.Hash[..16]}, robot contract {m.Contract.Robot.Hash[..16]}"));
        foreach (var comparison in report.Comparisons)
        {
            Console.WriteLine(string.Create(c,
                $"  checked on {report.Samples} observations against the {comparison.Reference} policy: max difference {comparison.MaxAbsDifference:G3} (action units), {comparison.MaxCommandDifference:G3} (robot units)"));
        }
    }
}
