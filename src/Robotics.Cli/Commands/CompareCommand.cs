using System.CommandLine;
using Robotics.Training.Monitoring;

namespace Robotics.Cli.Commands;

/// <summary><c>robotics compare RUN_DIR...</c>: runs of several algorithms side by side, as a table and as PNG curves.</summary>
internal static class CompareCommand
{
    public static Command Create()
    {
        var runDirs = new Argument<DirectoryInfo[]>("run-dirs") { Description = "run folders written by robotics train (any tasks, algorithms and seeds)", Arity = ArgumentArity.OneOrMore };
        var reference = new Option<string>("--reference") { Description = "the algorithm whose final return (mean over its seeds, per task) the others must reach", DefaultValueFactory = _ => "ppo" };
        var output = new Option<DirectoryInfo?>("--out") { Description = "where to write one PNG per task (return against steps and against wall-clock); none without it" };
        var command = new Command("compare", "Compare runs side by side: per run the final and best evaluation and when it first reached the reference algorithm's final return; curves to PNG.")
        {
            runDirs, reference, output,
        };
        command.SetAction(parse => CliErrors.Training(() =>
        {
            var runs = parse.GetValue(runDirs)!.Select(d => ComparedRun.Load(d.FullName)).ToList();
            string referenceAlgorithm = parse.GetValue(reference)!;
            Console.Write(RunComparison.ToMarkdown(RunComparison.Compare(runs, referenceAlgorithm), referenceAlgorithm));
            if (parse.GetValue(output) is { } dir)
                foreach (var png in ComparisonPlots.Draw(runs, dir.FullName)) Console.WriteLine(png);
            return 0;
        }));
        return command;
    }
}
