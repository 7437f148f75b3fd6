using Robotics.Contract.CommandLine;
using Robotics.Training.Configuration;
using Robotics.Training.Monitoring;
using Robotics.Training.Runner;

namespace Robotics.Cli.Commands;

/// <summary>A training run as train, resume and quickstart show it: the progress view, the final line, and Ctrl-C or SIGTERM stopping after the current update.</summary>
internal static class TrainingInTerminal
{
    public static int Run(TrainingConfig config, string runDir, IReadOnlyList<string> bridges, bool inProcess, bool resume)
    {
        using var stop = new StopSignal();
        try
        {
            using var source = EnvironmentChoice.For(config, bridges, inProcess, EnvironmentOptions.LocalBridgeStarter(config.Task), line => Console.Error.WriteLine($"[bridge] {line}"));
            var view = new ProgressView(config.Monitoring.Progress);
            TrainingResult? result = null;
            view.Run(config.TotalSteps, 0, reporter =>
                result = new TrainingRunner(config, runDir, source).Train(reporter, resume, stop.Token));
            Console.WriteLine($"run folder: {result!.RunDir}");
            Console.WriteLine($"updates {result.Iterations}, {TrainingSummary.Steps(result.EnvSteps, config.TotalSteps)}, {TrainingSummary.BestEvaluation(result.BestEvalReturn)}, recoveries {result.Recoveries}, skipped updates {result.SkippedUpdates}");
            return ExitCodes.Success;
        }
        finally
        {
            NetMQ.NetMQConfig.Cleanup(block: false);
        }
    }
}
