using Robotics.Training.Configuration;
using static Robotics.Training.Tests.Runner.RunnerTestKit;

namespace Robotics.Training.Tests.Runner;

public sealed class PacedAlarmRunTests
{
    [Fact]
    public void An_update_above_the_kl_alarm_is_warned_in_train_log_once_and_a_calm_run_says_nothing()
    {
        var quiet = new Quiet();
        string dir = TempRunDir();
        var config = SmallConfig(6 * 128) with { Monitoring = new MonitoringOptions { Tensorboard = false, Progress = "never", KlAlarm = 1e-9 } };
        new Training.Runner.TrainingRunner(config, dir, PointMass()).Train(quiet, resume: false);

        // Every one of the 6 updates moves the policy by more than 1e-9: the first is told, the rest wait for 50 updates.
        var warnings = File.ReadLines(Path.Combine(dir, "train.log")).Where(l => l.Contains("monitoring.kl_alarm", StringComparison.Ordinal)).ToList();
        Assert.Single(warnings);
        Assert.Contains(" warn update 1: approximate KL ", warnings[0]);
        Assert.Contains(quiet.Messages, m => m.Contains("monitoring.kl_alarm", StringComparison.Ordinal));

        var calm = new Quiet();
        string calmDir = TempRunDir();
        new Training.Runner.TrainingRunner(SmallConfig(6 * 128), calmDir, PointMass()).Train(calm, resume: false);
        Assert.DoesNotContain(File.ReadLines(Path.Combine(calmDir, "train.log")), l => l.Contains("kl_alarm", StringComparison.Ordinal));
    }

    [Fact]
    public void A_log_std_below_the_floor_on_every_update_is_warned_once_and_flagged_on_each()
    {
        string dir = TempRunDir();
        // A floor above the policy's starting log-std: every update is below it.
        var config = SmallConfig(6 * 128) with { Monitoring = new MonitoringOptions { Tensorboard = false, Progress = "never", LogStdFloor = 5 } };
        new Training.Runner.TrainingRunner(config, dir, PointMass()).Train(new Quiet(), resume: false);

        var warnings = File.ReadLines(Path.Combine(dir, "train.log")).Where(l => l.Contains("monitoring.log_std_floor", StringComparison.Ordinal)).ToList();
        Assert.Single(warnings);
        Assert.Contains(" warn update 1: log-std ", warnings[0]);
        Assert.Contains("is below the floor 5.00", warnings[0]);

        var rows = File.ReadAllLines(Path.Combine(dir, "metrics.csv"));
        int column = Array.IndexOf(rows[0].Split(','), "policy/log_std_alarm");
        Assert.True(column >= 0);
        Assert.Equal(6, rows.Skip(1).Count(r => r.Split(',')[column] == "1"));
    }
}
