using Robotics.Training.Configuration;
using Robotics.Training.Environments;
using Robotics.Training.Monitoring;
using Robotics.Training.Tests.Fakes;

namespace Robotics.Training.Tests.Runner;

/// <summary>Small configs and a quiet progress reporter for runner tests on the point-mass environment.</summary>
internal static class RunnerTestKit
{
    public static TrainingConfig SmallConfig(long totalSteps, int checkpointEvery = 2) => new()
    {
        Task = "point-mass-centre",
        Seed = 5,
        TotalSteps = totalSteps,
        NumEnvs = 4,
        Policy = new PolicyOptions { HiddenSizes = [16, 16] },
        Ppo = new Robotics.Training.Algorithms.Ppo.PpoOptions { RolloutSteps = 32, Minibatches = 4, Epochs = 4 },
        Evaluation = new EvaluationOptions { EveryUpdates = 2, Episodes = 2 },
        Checkpoint = new CheckpointOptions { EveryUpdates = checkpointEvery },
        Monitoring = new MonitoringOptions { Tensorboard = false, Progress = "never" },
    };

    public static IEnvironmentSource PointMass(int maxSteps = 50) =>
        new InProcessEnvironmentSource("point mass", n => new PointMassVectorEnv(n, maxSteps));

    public static string TempRunDir()
    {
        string dir = Path.Combine(Path.GetTempPath(), "robotics-training-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    public sealed class Quiet : IProgressReporter
    {
        public List<string> Messages { get; } = new();
        public void Update(long steps, MetricRecord record) { }
        public void Message(string text) => Messages.Add(text);
    }
}
