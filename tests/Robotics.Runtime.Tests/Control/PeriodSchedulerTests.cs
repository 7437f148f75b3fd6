using Robotics.Runtime.Control;
using Robotics.Runtime.Observation;

namespace Robotics.Runtime.Tests.Control;

public sealed class PeriodSchedulerTests
{
    [Fact]
    public void Deadlines_stay_on_the_start_plus_k_periods_grid_however_late_each_tick_is()
    {
        var scheduler = new PeriodScheduler(periodTicks: 1000, start: 0);
        Assert.Equal(1000, scheduler.Deadline);

        scheduler.Complete(now: 1300); // woke and worked late, but within the period
        Assert.Equal(2000, scheduler.Deadline);
        scheduler.Complete(now: 2999);
        Assert.Equal(3000, scheduler.Deadline);
        Assert.Equal(0, scheduler.Overruns);
    }

    [Fact]
    public void Error_is_the_lateness_of_the_wake_up_against_the_deadline()
    {
        var scheduler = new PeriodScheduler(periodTicks: 1000, start: 500);

        Assert.Equal(25, scheduler.ErrorAt(1525));
    }

    [Fact]
    public void A_tick_ending_after_the_next_deadline_is_an_overrun_and_whole_missed_periods_are_skipped()
    {
        var scheduler = new PeriodScheduler(periodTicks: 1000, start: 0);

        scheduler.Complete(now: 2100); // the 2000 deadline has passed: overrun, run it late
        Assert.Equal(1, scheduler.Overruns);
        Assert.Equal(0, scheduler.SkippedPeriods);
        Assert.Equal(2000, scheduler.Deadline);

        scheduler.Complete(now: 5500); // 3000, 4000 and 5000 have passed: skip two, run the 5000 one late
        Assert.Equal(2, scheduler.Overruns);
        Assert.Equal(2, scheduler.SkippedPeriods);
        Assert.Equal(5000, scheduler.Deadline);
    }

    [Fact]
    public void Control_loop_with_an_injected_clock_ticks_exactly_on_its_period()
    {
        var clock = new FakeClock { WakeLatency = 30 };
        var contract = TestRobot.Policy();
        var transport = new FakeTransport(contract.Robot, clock);
        var loop = new ControlLoop(transport, new FakePolicy(6, 2), contract, new ContractObservationSource(contract),
            new ControlLoopOptions { RateHz = 500 }, clock);

        loop.Start(clock.Now);
        var wakes = new List<long>();
        for (int i = 0; i < 5; i++)
        {
            loop.Step();
            wakes.Add(clock.Now);
        }

        Assert.Equal([2030, 4030, 6030, 8030, 10030], wakes); // 2 ms period, 30 µs late, no drift
        Assert.Equal(30, loop.PeriodError.Percentile(0.5));
        Assert.Equal(30, loop.PeriodError.MaxMicros);
    }
}
