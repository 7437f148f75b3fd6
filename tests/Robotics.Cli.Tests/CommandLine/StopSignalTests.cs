using System.Diagnostics;
using Robotics.Contract.CommandLine;

namespace Robotics.Cli.Tests.CommandLine;

/// <summary>
/// Ctrl-C and SIGTERM stop a verb in order while a <see cref="StopSignal"/> lives. SIGTERM is what these tests send: a
/// shell running the tests in the background hands its children SIGINT ignored.
/// </summary>
[Collection(Name)]
public sealed class StopSignalTests
{
    // Signals go to the whole test process: no other test may hold a StopSignal at the same time.
    public const string Name = "signals to the test process";

    [Fact]
    public void SIGTERM_cancels_the_token_and_the_process_goes_on()
    {
        using var stop = new StopSignal();

        SendToSelf("TERM");

        Assert.True(stop.Token.WaitHandle.WaitOne(TimeSpan.FromSeconds(30)), "SIGTERM did not cancel the token");
    }

    [Fact]
    public void Made_and_disposed_twice_each_takes_only_the_signals_of_its_own_lifetime()
    {
        var first = new StopSignal();
        var firstToken = first.Token;
        first.Dispose();
        first.Dispose(); // twice is harmless

        using var second = new StopSignal();
        Assert.False(second.Token.IsCancellationRequested);
        SendToSelf("TERM");

        Assert.True(second.Token.WaitHandle.WaitOne(TimeSpan.FromSeconds(30)), "SIGTERM did not reach the second StopSignal");
        Assert.False(firstToken.IsCancellationRequested, "the disposed StopSignal still took the signal");
    }

    [Fact]
    public void Stop_after_dispose_does_nothing_as_a_watcher_thread_may_call_it_late()
    {
        var stop = new StopSignal();
        stop.Dispose();

        stop.Stop();
    }

    private static void SendToSelf(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }
}

[CollectionDefinition(StopSignalTests.Name, DisableParallelization = true)]
public sealed class SignalsToTheTestProcessCollection;
