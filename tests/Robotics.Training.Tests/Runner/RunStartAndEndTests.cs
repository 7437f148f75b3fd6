using Robotics.Contract;
using Robotics.Training.Checkpoints;
using Robotics.Training.Configuration;
using Robotics.Training.Environments;
using Robotics.Training.Runner;
using static Robotics.Training.Tests.Runner.RunnerTestKit;

namespace Robotics.Training.Tests.Runner;

public sealed class RunStartAndEndTests
{
    [Fact]
    public void A_start_whose_environments_cannot_be_made_leaves_no_run_folder_behind()
    {
        string runDir = Path.Combine(Path.GetTempPath(), "robotics-training-tests", Guid.NewGuid().ToString("N"), "run");
        var refused = new ConfigException("/home/me/tasks/walk.yaml", "randomization.body_mass.bodies", "expected a body of the model, got 'wheel'");
        var source = new InProcessEnvironmentSource("refusing", _ => throw refused);

        var e = Assert.Throws<ConfigException>(() => new TrainingRunner(SmallConfig(totalSteps: 256), runDir, source).Train(new Quiet(), resume: false));

        Assert.Same(refused, e);
        Assert.False(Directory.Exists(runDir), "the run folder was created although training never started");
    }

    [Fact]
    public void A_run_that_ends_before_its_first_evaluation_says_so_and_by_how_much_it_passed_total_steps()
    {
        // Two updates of 4 environments x 32 steps: 256 steps for a total of 200; evaluations every 10 updates, none reached.
        var config = SmallConfig(totalSteps: 200, checkpointEvery: 50) with
        {
            Evaluation = new EvaluationOptions { EveryUpdates = 10, Episodes = 2, CollapsePatience = 0 },
        };
        string runDir = TempRunDir();

        var result = new TrainingRunner(config, runDir, PointMass()).Train(new Quiet(), resume: false);

        Assert.Equal(256, result.EnvSteps);
        Assert.True(double.IsNaN(result.BestEvalReturn));
        string finished = File.ReadLines(new RunFolder(runDir).Log).Single(line => line.Contains("finished:"));
        Assert.Contains("no evaluation yet", finished);
        Assert.DoesNotContain("NaN", finished);
        Assert.Contains("256 steps (56 past total_steps 200", finished);
    }

    [Fact]
    public void Summary_words_name_the_best_return_and_steps_within_total_steps_plainly()
    {
        Assert.Equal("best evaluation return 12.50", TrainingSummary.BestEvaluation(12.5));
        Assert.Equal("no evaluation yet", TrainingSummary.BestEvaluation(double.NaN));
        Assert.Equal("4096 steps", TrainingSummary.Steps(4096, 4096));
    }
}
