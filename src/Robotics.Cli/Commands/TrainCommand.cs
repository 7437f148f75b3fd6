using System.CommandLine;
using Robotics.Contract;
using Robotics.SimBridge;
using Robotics.SimBridge.Hosting;
using Robotics.SimBridge.Tasks;
using Robotics.Training.Checkpoints;
using Robotics.Training.Configuration;
using Robotics.Training.Monitoring;
using Robotics.Training.Runner;

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
        var bridges = TrainingCli.BridgeOption();
        var bridgeKey = TrainingCli.BridgeKeyOption();
        var clientKey = TrainingCli.ClientKeyOption();
        var inProcess = TrainingCli.InProcessOption();

        var command = new Command("train", "Train a policy with the algorithm the config names; writes a run folder with metrics, checkpoints and the final policy.")
        {
            config, output, seed, totalSteps, bridges, bridgeKey, clientKey, inProcess,
        };
        command.SetAction(parse => TrainingCli.Guard(() =>
        {
            var loaded = TrainingConfigFile.Load(parse.GetValue(config)!.FullName);
            loaded = loaded with
            {
                Seed = parse.GetValue(seed) ?? loaded.Seed,
                TotalSteps = parse.GetValue(totalSteps) ?? loaded.TotalSteps,
                BridgeKeys = TrainingCli.BridgeKeys(loaded.BridgeKeys, parse.GetValue(bridgeKey), parse.GetValue(clientKey)),
            };
            TrainingConfigFile.Validate(loaded, parse.GetValue(config)!.FullName);
            string runDir = parse.GetValue(output)?.FullName ?? Path.Combine("runs", loaded.ResolvedRunName);
            if (File.Exists(new RunFolder(runDir).LastCheckpoint))
            {
                Console.Error.WriteLine($"{Path.GetFullPath(runDir)} already holds a run; continue it with 'robotics resume {runDir}' or choose another --out");
                return 2;
            }

            return TrainingCli.Run(loaded, runDir, parse.GetValue(bridges) ?? [], parse.GetValue(inProcess), resume: false);
        }));
        return command;
    }
}

/// <summary>What train and resume share: environment choice, the progress view, Ctrl+C, and errors worth a plain message.</summary>
internal static class TrainingCli
{
    public static Option<string[]> BridgeOption() => new("--bridge")
    {
        Description = "endpoint of a running sim bridge (repeat for several); without it, local bridges are started, one per core",
        AllowMultipleArgumentsPerToken = true,
    };

    public static Option<string?> BridgeKeyOption() => new("--bridge-key")
    {
        Description = "public key of bridges started with keys: 40 Z85 characters or the bridge's .pub file (overrides bridge_keys.server_key)",
    };

    public static Option<string?> ClientKeyOption() => new("--client-key")
    {
        Description = "this host's secret key file (from `robotics keys`), whose public key the bridges allow (overrides bridge_keys.client_key)",
    };

    /// <summary>The config's bridge keys with the command line's in their place where given.</summary>
    public static BridgeKeysOptions BridgeKeys(BridgeKeysOptions config, string? bridgeKey, string? clientKey) =>
        new() { ServerKey = bridgeKey ?? config.ServerKey, ClientKey = clientKey ?? config.ClientKey };

    public static Option<bool> InProcessOption() => new("--in-process")
    {
        Description = "step MuJoCo in this process instead of through bridges (no messaging; for quick experiments)",
    };

    public static int Run(TrainingConfig config, string runDir, IReadOnlyList<string> bridges, bool inProcess, bool resume)
    {
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            using var source = EnvironmentChoice.For(config, bridges, inProcess, LocalBridgeStarter(config.Task), line => Console.Error.WriteLine($"[bridge] {line}"));
            var view = new ProgressView(config.Monitoring.Progress);
            TrainingResult? result = null;
            view.Run(config.TotalSteps, 0, reporter =>
                result = new TrainingRunner(config, runDir, source).Train(reporter, resume, cancel.Token));
            Console.WriteLine($"run folder: {result!.RunDir}");
            Console.WriteLine($"updates {result.Iterations}, {TrainingSummary.Steps(result.EnvSteps, config.TotalSteps)}, {TrainingSummary.BestEvaluation(result.BestEvalReturn)}, recoveries {result.Recoveries}, skipped updates {result.SkippedUpdates}");
            return 0;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
            NetMQ.NetMQConfig.Cleanup(block: false);
        }
    }

    /// <summary>The value of a count option, or an error naming the option when it is not positive.</summary>
    public static int Positive(int value, string option) =>
        value > 0 ? value : throw new TrainingSetupException($"{option} must be positive, got {value}");

    /// <summary>Runs the command and turns the errors a user can fix into one clear line and exit code 2.</summary>
    public static int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is ConfigException or TrainingSetupException or TrainingAbortedException or BridgeException or InvalidDataException or FileNotFoundException or DirectoryNotFoundException
            or Robotics.Runtime.Policy.PolicyLoadException or Robotics.Runtime.Policy.ContractMismatchException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
    }

    /// <summary>
    /// Starts child processes running this program's sim-bridge verb on a free loopback port, one stepping thread,
    /// serving <paramref name="task"/>'s folder when it is a file, and explaining task errors (they serve this user only).
    /// </summary>
    public static Func<LocalBridge> LocalBridgeStarter(string task)
    {
        string self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell which program is running");
        var leading = Path.GetFileNameWithoutExtension(self) == "dotnet" ? new[] { typeof(TrainCommand).Assembly.Location } : [];
        // One session per env group on each bridge, and one for evaluation: more than the default cap of 8 for a
        // bridge serving many clients, and this bridge serves this trainer only.
        var arguments = new List<string> { "--threads", "1", "--quiet", "--explain-task-errors", "--max-sessions", "64" };
        if (TaskOnBridge.Folder(task) is { } folder)
        {
            arguments.AddRange(["--tasks", folder]);
        }

        return () => LocalBridge.StartProcess(self, leading, arguments);
    }
}
