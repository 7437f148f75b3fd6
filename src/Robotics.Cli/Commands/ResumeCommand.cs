using System.CommandLine;
using Robotics.Training.Checkpoints;
using Robotics.Training.Configuration;

namespace Robotics.Cli.Commands;

/// <summary><c>robotics resume RUN_DIR</c>: continues a run from its last checkpoint, exactly as if it had not stopped.</summary>
internal static class ResumeCommand
{
    public static Command Create()
    {
        var runDir = new Argument<DirectoryInfo>("run-dir") { Description = "run folder written by robotics train" };
        var totalSteps = new Option<long?>("--total-steps") { Description = "train for longer than the run's config said" };
        var bridges = EnvironmentOptions.Bridges();
        var bridgeKey = EnvironmentOptions.BridgeKey();
        var clientKey = EnvironmentOptions.ClientKey();
        var inProcess = EnvironmentOptions.InProcess();
        var command = new Command("resume", "Continue a training run from its last checkpoint.") { runDir, totalSteps, bridges, bridgeKey, clientKey, inProcess };
        command.SetAction(parse => CliErrors.Training(() =>
        {
            var folder = new RunFolder(parse.GetValue(runDir)!.FullName);
            if (!File.Exists(folder.Config))
                throw new FileNotFoundException($"{folder.Root} is not a run folder (no config.yaml)");
            var config = TrainingConfigFile.Load(folder.Config);
            config = config with
            {
                TotalSteps = parse.GetValue(totalSteps) ?? config.TotalSteps,
                BridgeKeys = EnvironmentOptions.BridgeKeys(config.BridgeKeys, parse.GetValue(bridgeKey), parse.GetValue(clientKey)),
            };
            TrainingConfigFile.Validate(config, folder.Config);
            return TrainingInTerminal.Run(config, folder.Root, parse.GetValue(bridges) ?? [], parse.GetValue(inProcess), resume: true);
        }));
        return command;
    }
}
