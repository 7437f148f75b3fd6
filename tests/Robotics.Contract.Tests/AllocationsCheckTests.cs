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
    public void Code_that_does_not_allocate_passes()
    {
        var buffer = new float[8];
        int windows = Allocations.AssertOneCleanWindow(() => buffer[0]++, calls: 1000, "a float increment");

        Assert.InRange(windows, 1, 5);
        Assert.Equal(1000 * windows, buffer[0]);
    }
}
