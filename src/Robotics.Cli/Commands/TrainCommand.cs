using System.CommandLine;
using Robotics.Contract.CommandLine;
using Robotics.Training.Checkpoints;
using Robotics.Training.Configuration;

namespace Robotics.Cli.Commands;

/// <summary><c>robotics train --config FILE [--out DIR] [--seed N] [--total-steps N] [--bridge ENDPOINT ...] [--bridge-key KEY --client-key FILE]</c>.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo>("--config") { Description = "training config (configs/training/*.yaml, or your own; a relative task: path in it is read from its folder)", Required = true };
        var output = new Option<DirectoryInfo?>("--out") { Description = "run folder (default: runs/<run name>, the run name being TASK-ALGORITHM-seedN with the task's name unless the config sets run_name)" };
        var seed = new Option<int?>("--seed") { Description = "seed for torch and the environments (overrides the config)" };
        var totalSteps = new Option<long?>("--total-steps") { Description = "environment steps to train for (overrides the config)" };
        var bridges = EnvironmentOptions.Bridges();
        var bridgeKey = EnvironmentOptions.BridgeKey();
        var clientKey = EnvironmentOptions.ClientKey();
        var inProcess = EnvironmentOptions.InProcess();

        var command = new Command("train", "Train a policy with the algorithm the config names; writes a run folder with metrics, checkpoints and the final policy.")
        {
            config, output, seed, totalSteps, bridges, bridgeKey, clientKey, inProcess,
        };
        command.SetAction(parse => CliErrors.Training(() =>
        {
            var loaded = TrainingConfigFile.Load(parse.GetValue(config)!.FullName);
            loaded = loaded with
            {
                Seed = parse.GetValue(seed) ?? loaded.Seed,
                TotalSteps = parse.GetValue(totalSteps) ?? loaded.TotalSteps,
                BridgeKeys = EnvironmentOptions.BridgeKeys(loaded.BridgeKeys, parse.GetValue(bridgeKey), parse.GetValue(clientKey)),
            };
            TrainingConfigFile.Validate(loaded, parse.GetValue(config)!.FullName);
            string runDir = parse.GetValue(output)?.FullName ?? Path.Combine("runs", loaded.ResolvedRunName);
            if (File.Exists(new RunFolder(runDir).LastCheckpoint))
                throw new CommandLineException($"{Path.GetFullPath(runDir)} already holds a run; continue it with 'robotics resume {runDir}' or choose another --out");

            return TrainingInTerminal.Run(loaded, runDir, parse.GetValue(bridges) ?? [], parse.GetValue(inProcess), resume: false);
        }));
        return command;
    }
}
