using Robotics.Training.Monitoring;

namespace Robotics.Training.Tests.Monitoring;

public sealed class LogStdWatchTests
{
    [Fact]
    public void The_first_update_below_the_floor_is_told_at_once_with_its_log_std()
    {
        var watch = new LogStdWatch(-4.0);
        Assert.Null(watch.Check(1, -3.5));
        Assert.Null(watch.Check(2, -4.0)); // at the floor is not below it
        var warning = watch.Check(3, -4.123);
        Assert.Equal("update 3: log-std -4.12 is below the floor -4.00 (monitoring.log_std_floor); exploration has nearly stopped", warning);
    }

    [Fact]
    public void A_run_below_the_floor_is_summed_up_once_every_fifty_updates_with_the_lowest()
    {
        var watch = new LogStdWatch(-4.0);
        Assert.NotNull(watch.Check(10, -4.1));
        var warnings = new List<string>();
        for (int i = 11; i <= 110; i++)
        {
            if (watch.Check(i, i == 30 ? -7.25 : -4.5) is { } w) warnings.Add(w);
        }

        Assert.Equal(2, warnings.Count);
        Assert.StartsWith("update 60: 50 updates since update 10 had a log-std below the floor -4.00 (monitoring.log_std_floor), the lowest -7.25", warnings[0]);
        Assert.StartsWith("update 110: 50 updates since update 60", warnings[1]);
        Assert.Contains("the lowest -4.50", warnings[1]);
    }

    [Fact]
    public void A_missing_log_std_is_not_below_the_floor()
    {
        var watch = new LogStdWatch(-4.0);
        Assert.False(watch.IsBelow(double.NaN));
        Assert.Null(watch.Check(1, double.NaN));
    }

    [Fact]
    public void After_a_calm_spell_the_next_update_below_is_told_on_its_own()
    {
        var watch = new LogStdWatch(-4.0);
        Assert.NotNull(watch.Check(1, -5));
        Assert.Null(watch.Check(2, -3)); // above: nothing counted
        var warning = watch.Check(80, -4.5);
        Assert.StartsWith("update 80: log-std -4.50 is below the floor", warning);
    }
}
