using Robotics.Training.Configuration;
using Robotics.Training.Monitoring;

namespace Robotics.Training.Tests.Monitoring;

public sealed class RunComparisonTests
{
    [Fact]
    public void Each_run_is_measured_against_the_reference_algorithms_mean_final_return_on_its_task()
    {
        // PPO's two seeds end at 90 and 110 (mean 100) after 1000 steps; SAC's first evaluation at or above 100 is at 300.
        var ppo1 = Run("hopper", "ppo", 1, (500, 50), (1000, 90));
        var ppo2 = Run("hopper", "ppo", 2, (500, 60), (1000, 110));
        var sac = Run("hopper", "sac", 1, (100, 20), (200, 99), (300, 120), (400, 80));
        var reacher = Run("reacher", "sac", 1, (100, -5));

        var rows = RunComparison.Compare([sac, reacher, ppo2, ppo1], "ppo");

        Assert.Equal(["hopper ppo 1", "hopper ppo 2", "hopper sac 1", "reacher sac 1"], rows.Select(r => $"{r.Run.Task} {r.Run.Algorithm} {r.Run.Seed}"));
        var sacRow = rows[2];
        Assert.Equal(100, sacRow.Reference!.Final, 9);
        Assert.Equal(300, sacRow.Reached!.Value.Steps);
        Assert.Equal(0.3, sacRow.ShareOfReferenceSteps(sacRow.Reached)!.Value, 9);
        Assert.Null(rows[3].Reference);   // no PPO runs on reacher
        var table = RunComparison.ToMarkdown(rows, "ppo");
        Assert.Contains("| hopper | sac | 1 | 80.00 |", table);
        Assert.Contains("| 300 (30%), 3 |", table);    // wall-clock is a hundredth of the steps in these runs
        Assert.Contains("| reacher | sac | 1 | -5.00 | -5.00 | -5.00 | 100 | 1 | 100 | no runs | - | - |", table);
    }

    [Fact]
    public void The_smoothed_figure_needs_a_whole_window_of_evaluations_at_the_reference_average()
    {
        // One lucky evaluation (step 2) reaches the target; the mean of 5 in a row first does with steps 6 to 10.
        var run = Run("hopper", "sac", 1, (1, 0), (2, 200), (3, 0), (4, 0), (5, 0), (6, 100), (7, 100), (8, 100), (9, 100), (10, 100));

        Assert.Equal(2, run.FirstReaching(100)!.Value.Steps);
        Assert.Equal(10, run.FirstAverageReaching(100)!.Value.Steps);
        Assert.Equal(9, run.FirstAverageReaching(80)!.Value.Steps);     // steps 5 to 9: (0 + 4 * 100) / 5
        Assert.Null(run.FirstAverageReaching(101));
        Assert.Equal(100, run.TailMean, 9);
    }

    [Fact]
    public void Curves_are_drawn_one_png_per_task()
    {
        var runs = new[] { Run("hopper", "ppo", 1, (500, 50), (1000, 90)), Run("hopper", "sac", 1, (100, 20), (200, 99)), Run("reacher", "sac", 1, (100, -5)) };
        string dir = Directory.CreateTempSubdirectory("compare-plots").FullName;

        var paths = ComparisonPlots.Draw(runs, dir);

        Assert.Equal(["hopper.png", "reacher.png"], paths.Select(Path.GetFileName));
        foreach (var path in paths)
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(path).Take(4));
    }

    [Fact]
    public void A_folder_that_is_not_a_run_is_named_in_the_error()
    {
        string dir = Directory.CreateTempSubdirectory("not-a-run").FullName;

        var error = Assert.Throws<FileNotFoundException>(() => ComparedRun.Load(dir));

        Assert.Contains(dir, error.Message);
        Assert.Contains("config.yaml and metrics.csv", error.Message);
    }

    /// <summary>A run folder with a config and one metrics row per evaluation (wall-clock a hundredth of the steps).</summary>
    private static ComparedRun Run(string task, string algorithm, int seed, params (double Steps, double Return)[] evaluations)
    {
        string dir = Directory.CreateTempSubdirectory($"{task}-{algorithm}-seed{seed}-").FullName;
        File.WriteAllText(Path.Combine(dir, "config.yaml"), TrainingConfigFile.ToYaml(new TrainingConfig { Task = task, Algorithm = algorithm, Seed = seed }));
        using (var csv = new MetricsCsv(Path.Combine(dir, "metrics.csv")))
        {
            int iteration = 0;
            foreach (var (steps, value) in evaluations)
            {
                var record = MetricRecord.WithStandardNames();
                record["iteration"] = ++iteration;
                record["charts/global_step"] = steps;
                record["perf/wall_seconds"] = steps / 100;
                record["eval/return_mean"] = value;
                csv.Append(record);
            }
        }

        return ComparedRun.Load(dir);
    }
}
