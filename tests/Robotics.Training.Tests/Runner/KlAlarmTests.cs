using Robotics.Training.Configuration;
using static Robotics.Training.Tests.Runner.RunnerTestKit;

namespace Robotics.Training.Tests.Runner;

public sealed class KlAlarmTests
{
    [Fact]
    public void An_update_above_the_alarm_is_warned_in_train_log_once_and_a_calm_run_says_nothing()
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
}
