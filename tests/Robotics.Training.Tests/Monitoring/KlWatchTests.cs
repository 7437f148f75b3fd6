using Robotics.Training.Monitoring;

namespace Robotics.Training.Tests.Monitoring;

public sealed class KlWatchTests
{
    [Fact]
    public void The_first_update_above_the_alarm_is_told_at_once_with_its_kl()
    {
        var watch = new KlWatch(1.0);
        Assert.Null(watch.Check(1, 0.02));
        Assert.Null(watch.Check(2, 1.0)); // at the alarm is not above it
        var warning = watch.Check(3, 12.894);
        Assert.NotNull(warning);
        Assert.StartsWith("update 3: approximate KL 12.894 is above monitoring.kl_alarm (1)", warning);
        Assert.Contains("lr_schedule: adaptive", warning);
    }

    [Fact]
    public void A_run_of_high_updates_is_summed_up_once_every_fifty_updates()
    {
        var watch = new KlWatch(1.0);
        Assert.NotNull(watch.Check(10, 5));
        var warnings = new List<string>();
        for (int i = 11; i <= 110; i++)
        {
            if (watch.Check(i, i == 40 ? 557.46 : 2.0) is { } w) warnings.Add(w);
        }

        // Updates 11 to 60 are due at 60, 61 to 110 at 110.
        Assert.Equal(2, warnings.Count);
        Assert.StartsWith("update 60: 50 updates since update 10 had an approximate KL above monitoring.kl_alarm (1), the largest 557.460", warnings[0]);
        Assert.StartsWith("update 110: 50 updates since update 60", warnings[1]);
        Assert.Contains("the largest 2.000", warnings[1]);
    }

    [Fact]
    public void Zero_turns_it_off_and_a_missing_kl_is_not_an_alarm()
    {
        Assert.Null(new KlWatch(0).Check(1, 900));
        Assert.Null(new KlWatch(1.0).Check(1, double.NaN));
    }
}
