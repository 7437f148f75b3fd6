using Robotics.Testing;
using Xunit.Sdk;

namespace Robotics.Contract.Tests;

/// <summary>The zero-allocation check the hot-path tests use must fail on code that allocates on every call.</summary>
public class AllocationsCheckTests
{
    [Fact]
    public void Code_that_allocates_on_every_call_fails_in_every_window()
    {
        object? sink = null;
        var failure = Assert.Throws<FailException>(() =>
            Allocations.AssertOneCleanWindow(() => sink = new byte[16], calls: 100, "allocating code", maxWindows: 2));

        Assert.Contains("allocating code allocated in every window of 100 calls", failure.Message);
        Assert.NotNull(sink);
    }

    [Fact]
    public void Code_that_allocates_once_every_few_thousand_calls_fails_the_steady_state_check()
    {
        // One clean window of 1000 calls is found (the allocation falls every 3000th call), and the check would
        // have passed there; the 20,000 calls after it hold six allocations.
        int calls = 0;
        object? sink = null;
        var failure = Assert.Throws<FailException>(() => Allocations.AssertSteadyStateAllocatesNothing(
            () => { if (++calls % 3000 == 0) sink = new byte[16]; }, settleCalls: 1000, calls: 20_000, "periodic allocation"));

        Assert.Contains("periodic allocation allocated", failure.Message);
        Assert.Contains("in 20000 calls after settling", failure.Message);
        Assert.NotNull(sink);
    }

    [Fact]
    public void Code_that_does_not_allocate_passes()
    {
        var buffer = new float[8];
        int windows = Allocations.AssertOneCleanWindow(() => buffer[0]++, calls: 1000, "a float increment");

        Assert.InRange(windows, 1, 5);
        Assert.Equal(1000 * windows, buffer[0]);
    }
}
