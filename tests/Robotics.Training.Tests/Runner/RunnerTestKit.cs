using Robotics.Training.Configuration;
using Robotics.Training.Environments;
using Robotics.Training.Monitoring;
using Robotics.Training.Runner;
using Robotics.Training.Tests.Fakes;

namespace Robotics.Training.Tests.Runner;

/// <summary>Small configs and a quiet progress reporter for runner tests on the point-mass environment.</summary>
internal static class RunnerTestKit
{
    public static TrainingConfig SmallConfig(long totalSteps, int checkpointEvery = 2) => new TrainingConfig
    {
        Task = "point-mass-centre",
        Seed = 5,
        TotalSteps = totalSteps,
        NumEnvs = 4,
        Policy = new PolicyOptions { HiddenSizes = [16, 16] },
        Evaluation = new EvaluationOptions { EveryUpdates = 2, Episodes = 2 },
        Checkpoint = new CheckpointOptions { EveryUpdates = checkpointEvery },
        Monitoring = new MonitoringOptions { Tensorboard = false, Progress = "never" },
    }.WithOptions(new Robotics.Training.Algorithms.Ppo.PpoOptions { RolloutSteps = 32, Minibatches = 4, Epochs = 4 });

    /// <summary>The metrics a resumed PPO run must reproduce number for number.</summary>
    public static readonly string[] ResumeCompared =
    [
        "charts/global_step", "losses/policy_loss", "losses/value_loss", "losses/approx_kl", "losses/entropy",
        "losses/explained_variance", "charts/episode_return_mean", "eval/return_mean", "charts/learning_rate",
    ];

    public static IEnvironmentSource PointMass(int maxSteps = 50, bool criticObservations = false) =>
        new InProcessEnvironmentSource("point mass", n => new PointMassVectorEnv(n, maxSteps, criticObservations));

    /// <summary>The checkout the tests run from (the folder holding Robotics.sln), for the shipped configs.</summary>
    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Robotics.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new DirectoryNotFoundException("Robotics.sln not found above the test assembly");
    }

    public static string TempRunDir()
    {
        string dir = Path.Combine(Path.GetTempPath(), "robotics-training-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>
    /// Given a run stopped after <paramref name="stopAfter"/> updates (a checkpoint boundary) and resumed, when it
    /// ends, then every update equals the uninterrupted run's in each <paramref name="compared"/> metric, number for
    /// number. Returns the uninterrupted and the resumed run folders for further checks.
    /// </summary>
    public static (string Uninterrupted, string Resumed) AssertResumeMatchesUninterrupted(
        TrainingConfig config, int stopAfter, int updates, IReadOnlyList<string> compared, Func<IEnvironmentSource>? source = null)
    {
        source ??= () => PointMass();
        var uninterrupted = new List<MetricRecord>();
        string dirA = TempRunDir();
        new TrainingRunner(config, dirA, source()) { OnUpdate = uninterrupted.Add }.Train(new Quiet(), resume: false);

        var resumed = new List<MetricRecord>();
        string dirB = TempRunDir();
        new TrainingRunner(config, dirB, source()) { StopAfterIterations = stopAfter, OnUpdate = resumed.Add }.Train(new Quiet(), resume: false);
        Assert.Equal(stopAfter, resumed.Count);
        new TrainingRunner(config, dirB, source()) { OnUpdate = resumed.Add }.Train(new Quiet(), resume: true);

        Assert.Equal(updates, uninterrupted.Count);
        Assert.Equal(updates, resumed.Count);
        for (int i = 0; i < updates; i++)
        {
            foreach (var name in compared)
                Assert.True(uninterrupted[i].GetOrNaN(name).Equals(resumed[i].GetOrNaN(name)), $"update {i + 1}, {name}: {uninterrupted[i].GetOrNaN(name)} vs {resumed[i].GetOrNaN(name)}");
        }

        return (dirA, dirB);
    }

    public sealed class Quiet : IProgressReporter
    {
        public List<string> Messages { get; } = new();
        public void Update(long steps, MetricRecord record) { }
        public void Message(string text) => Messages.Add(text);
    }
}
