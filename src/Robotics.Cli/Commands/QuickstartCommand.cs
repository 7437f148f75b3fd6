using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Robotics.Cli.Quickstart;
using Robotics.Contract.CommandLine;
using Robotics.FirmwareInterface.Transport;
using Robotics.RobotEmulator;
using Robotics.Runtime.Policy;
using Robotics.Runtime.Telemetry;
using Robotics.Runtime.Transport;
using Robotics.Sim.Tasks;
using Robotics.Training.Checkpoints;
using Robotics.Training.Configuration;
using Robotics.Training.Environments;
using Robotics.Training.Export;
using Robotics.Training.Monitoring;
using Robotics.Training.Runner;

namespace Robotics.Cli.Commands;

/// <summary>
/// <c>robotics quickstart [--out DIR] [--total-steps N] [--seed N]</c>: the whole path in one go. Trains the default
/// task on local bridges, exports the policy to ONNX, evaluates the ONNX model and the checkpoint in simulation,
/// then deploys the model over a pseudo-terminal to the emulated robot and reports how it did.
/// </summary>
internal static class QuickstartCommand
{
    private const string Task = "cartpole-balance";
    private const string TrainingConfigName = "cartpole-balance-ppo.yaml";
    private const string PoleJoint = "hinge";
    private const double PoleAngleBound = 0.2094; // the tilt termination of configs/tasks/cartpole-balance.yaml (12°)
    private const int EvaluationEpisodes = 8;

    // The emulated robot shares this machine's cores with the runtime (and whatever else runs there), so its
    // thread can stall for tens of milliseconds; 'robotics run' keeps 5 periods for a robot with its own CPU.
    private const int WatchdogPeriods = 25;

    /// <summary>Exit code when every stage ran but the deployed policy let the pole past the task's bound.</summary>
    public const int NotBalanced = 3;

    public static Command Create()
    {
        var output = new Option<DirectoryInfo?>("--out") { Description = "folder for everything written (default: runs/quickstart/<time>)" };
        var totalSteps = new Option<long?>("--total-steps") { Description = $"environment steps to train for (default: configs/training/{TrainingConfigName})" };
        var seed = new Option<int?>("--seed") { Description = "seed of training, evaluation and the emulated robot (default: the config's)" };
        var duration = new Option<double>("--duration") { Description = "seconds to drive the emulated robot", DefaultValueFactory = _ => 10 };
        var command = new Command("quickstart", "Train the default task (cartpole balance, PPO), export to ONNX, evaluate, and deploy to the emulated robot over a serial device.")
        {
            output, totalSteps, seed, duration,
        };
        // A stage that fails for a reason of its own (training, ONNX against checkpoint) says so as InvalidOperationException.
        command.SetAction(parse => CliErrors.Known.With<InvalidOperationException>().Run("robotics quickstart", () =>
        {
            string outDir = parse.GetValue(output)?.FullName
                ?? Path.GetFullPath(Path.Combine("runs", "quickstart", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)));
            return Run(outDir, parse.GetValue(totalSteps), parse.GetValue(seed), parse.GetValue(duration));
        }));
        return command;
    }

    private static int Run(string outDir, long? totalSteps, int? seedOverride, double durationSeconds)
    {
        if (durationSeconds <= 0) throw new ArgumentException("--duration must be positive");
        var paths = new QuickstartPaths(outDir);
        if (File.Exists(new RunFolder(paths.Run).LastCheckpoint))
            throw new ArgumentException($"{paths.Run} already holds a run; choose another --out");
        Directory.CreateDirectory(outDir);

        var configDir = TaskCatalog.BuiltInConfigDirectory() ?? throw new ArgumentException("cannot find the configs folder (configs/tasks, configs/robots); run from the repository");
        var configFile = Path.Combine(configDir, "training", TrainingConfigName);
        var config = TrainingConfigFile.Load(configFile);
        config = config with { Seed = seedOverride ?? config.Seed, TotalSteps = totalSteps ?? config.TotalSteps };
        TrainingConfigFile.Validate(config, configFile);
        int seed = config.Seed;

        Stage(1, $"train {config.Algorithm} on {config.Task} for {config.TotalSteps} steps (seed {seed}) on local bridges -> {paths.Run}");
        if (TrainingInTerminal.Run(config, paths.Run, [], inProcess: false, resume: false) != 0)
            throw new InvalidOperationException("training failed");
        var checkpoint = CheckpointFiles.Resolve(paths.Run);
        var plots = RunPlots.Draw(new RunFolder(paths.Run).Metrics, new RunFolder(paths.Run).Plots).ToList();

        Stage(2, $"export {checkpoint} -> {paths.Policy}");
        var export = CheckpointExport.Run(checkpoint, paths.Policy);
        foreach (var c in export.Comparisons)
            Console.WriteLine(Invariant($"  ONNX Runtime vs {c.Reference}: max |difference| {c.MaxAbsDifference:E1} over {export.Samples} samples"));

        Stage(3, $"evaluate in simulation: {EvaluationEpisodes} episodes each, the ONNX model and the checkpoint, same seeds");
        var (_, _, fromCheckpoint) = CheckpointEvaluation.Run(checkpoint, EvaluationEpisodes, seed);
        var fromOnnx = EvaluateOnnx(paths.Policy, seed);
        var agree = Math.Abs(fromOnnx.MeanReturn - fromCheckpoint.MeanReturn) <= 0.01 * Math.Max(1, Math.Abs(fromCheckpoint.MeanReturn));
        Console.WriteLine(Invariant($"  checkpoint return {fromCheckpoint.MeanReturn:F1} ± {fromCheckpoint.StdReturn:F1}, ONNX return {fromOnnx.MeanReturn:F1} ± {fromOnnx.StdReturn:F1}: {(agree ? "they agree" : "they DISAGREE")}"));
        if (!agree) throw new InvalidOperationException("the ONNX model and the checkpoint disagree in simulation; the export is wrong");

        Stage(4, Invariant($"deploy {paths.Policy} to the emulated robot over a pseudo-terminal for {durationSeconds} s (state watchdog {WatchdogPeriods} periods)"));
        DeploymentResult deployment;
        FaultInjectingSink robotFrames;
        long commandsReceived, badFromHost;
        using (var robot = new EmulatedRobot(Task, new EmulatorOptions { Seed = seed }))
        {
            Console.WriteLine($"  emulated robot on {robot.DevicePath}");
            deployment = PolicyDeployment.Run(paths.Policy, robot.DevicePath, new DeploymentOptions
            {
                Duration = TimeSpan.FromSeconds(durationSeconds),
                WatchdogPeriods = WatchdogPeriods,
                TelemetryPath = paths.Telemetry,
            });
            robot.Stop();
            robotFrames = robot.Emulator.Faults;
            commandsReceived = robot.Emulator.Link.CommandsReceived;
            badFromHost = robot.Emulator.Link.Decoder.BadChecksums;
        }

        File.WriteAllText(paths.DeploySummary, RunSummaryJson.Serialize(deployment.Summary));
        var summary = deployment.Summary;
        var pole = deployment.MaxAbs(PoleJoint);
        var balanced = pole <= PoleAngleBound;

        Console.WriteLine();
        Console.WriteLine("quickstart summary");
        Console.WriteLine(Invariant($"  training          {config.TotalSteps} steps; checkpoint {Path.GetFileName(checkpoint)}"));
        Console.WriteLine(Invariant($"  simulation        checkpoint {fromCheckpoint.MeanReturn:F1}, ONNX {fromOnnx.MeanReturn:F1} (of {EvaluationEpisodes} episodes)"));
        Console.WriteLine(Invariant($"  deployment        {summary.Ticks} ticks at {summary.RateHz} Hz, stopped: {summary.StopReason}, fault: {summary.Fault}{(summary.FaultDetail is null ? "" : $" ({summary.FaultDetail})")}"));
        Console.WriteLine(Invariant($"  max pole angle    {pole:F4} rad ({pole * 180 / Math.PI:F2}°; bound {PoleAngleBound} rad): {(balanced ? "balanced" : "NOT balanced")}"));
        Console.WriteLine(Invariant($"  max cart position {deployment.MaxAbs("slider"):F3} m"));
        Console.WriteLine(Invariant($"  period error      p50 {summary.PeriodErrorP50Micros:F0} us, p99 {summary.PeriodErrorP99Micros:F0} us, max {summary.PeriodErrorMaxMicros:F0} us; overruns {summary.Overruns}"));
        Console.WriteLine(Invariant($"  inference         p99 {summary.InferenceP99Micros:F0} us"));
        Console.WriteLine(Invariant($"  frames            host sent {summary.FramesSent}, received {summary.FramesReceived}, bad {summary.BadFrames}; robot sent {robotFrames.FramesSent}, lost {robotFrames.FramesDropped}, got {commandsReceived} commands, bad {badFromHost}"));
        Console.WriteLine("files");
        Console.WriteLine($"  run folder        {paths.Run}");
        Console.WriteLine($"  checkpoint        {checkpoint}");
        Console.WriteLine($"  policy            {paths.Policy}");
        Console.WriteLine($"  telemetry         {paths.Telemetry}");
        Console.WriteLine($"  deploy summary    {paths.DeploySummary}");
        foreach (var png in plots) Console.WriteLine($"  plot              {png}");

        if (summary.Fault != "none") return ExitCodes.Fault;
        return balanced ? ExitCodes.Success : NotBalanced;
    }

    private static EvaluationResult EvaluateOnnx(string policy, int seed)
    {
        using var source = SimEnvironmentSource.ForTask(Task, threads: Environment.ProcessorCount, randomize: false);
        using var env = source.CreateEvaluation(EvaluationEpisodes);
        return OnnxPolicyEvaluator.Run(policy, env, seed);
    }

    private static void Stage(int number, string what)
    {
        Console.WriteLine();
        Console.WriteLine($"[{number}/4] {what}");
        Console.Out.Flush();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Where each stage writes, under the quickstart's folder.</summary>
    private sealed record QuickstartPaths(string Root)
    {
        public string Run => Path.Combine(Root, "run");
        public string Policy => Path.Combine(Root, "policy.onnx");
        public string Telemetry => Path.Combine(Root, "deploy", "telemetry.csv");
        public string DeploySummary => Path.Combine(Root, "deploy", "telemetry.summary.json");
    }
}
