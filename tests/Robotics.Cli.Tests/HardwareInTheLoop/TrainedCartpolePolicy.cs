using Robotics.Training.Configuration;
using Robotics.Training.Environments;
using Robotics.Training.Export;
using Robotics.Training.Monitoring;
using Robotics.Training.Runner;

namespace Robotics.Cli.Tests.HardwareInTheLoop;

/// <summary>
/// A cartpole-balance PPO policy trained once per test run from the shipped config (fixed seed, environments in
/// this process) and exported to ONNX with the real exporter.
/// </summary>
public sealed class TrainedCartpolePolicy : IDisposable
{
    public TrainedCartpolePolicy()
    {
        Directory = Path.Combine(Path.GetTempPath(), "robotics-hil-tests", Guid.NewGuid().ToString("N"));
        var config = TrainingConfigFile.Load(Path.Combine(Repository.Root, "configs", "training", "cartpole-balance-ppo.yaml")) with
        {
            Monitoring = new MonitoringOptions { Tensorboard = false, Progress = "never" },
        };
        var runDir = Path.Combine(Directory, "run");
        using (var source = SimEnvironmentSource.ForTask(config.Task, threads: 1))
        {
            Training = new TrainingRunner(config, runDir, source).Train(new SilentProgress(), resume: false);
        }

        PolicyPath = Path.Combine(Directory, "policy.onnx");
        CheckpointExport.Run(runDir, PolicyPath);
    }

    public string Directory { get; }

    public string PolicyPath { get; }

    public TrainingResult Training { get; }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
    }
}
