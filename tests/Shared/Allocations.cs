namespace Robotics.Testing;

/// <summary>
/// Counts what a piece of code allocates on the calling thread, for the tests that require a hot path to allocate
/// nothing. The runtime compiles hot methods again in the background (tiered JIT), and installing the new code can
/// allocate on the calling thread once; that is the JIT settling, not the code under test. Code that allocates on
/// every call shows it in every window, so the check asks for one window that allocated nothing out of a few.
/// </summary>
public static class Allocations
{
    /// <summary>
    /// Runs <paramref name="body"/> <paramref name="calls"/> times per window until a window allocates nothing, at
    /// most <paramref name="maxWindows"/> windows; fails with every window's bytes when none was clean.
    /// Returns the number of windows run.
    /// </summary>
    public static int AssertOneCleanWindow(Action body, int calls, string what, int maxWindows = 5)
    {
        var windows = new List<long>(maxWindows);
        for (int window = 0; window < maxWindows; window++)
        {
            // Give a background recompilation the time to finish before the next window.
            if (window > 0) Thread.Sleep(200);
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < calls; i++) body();
            windows.Add(GC.GetAllocatedBytesForCurrentThread() - before);
            if (windows[^1] == 0) return windows.Count;
        }

        Assert.Fail($"{what} allocated in every window of {calls} calls; bytes per window: {string.Join(", ", windows)}");
        return windows.Count;
    }

    /// <summary>
    /// The steady-state check: once a clean window of <paramref name="settleCalls"/> calls shows the JIT has settled,
    /// the next <paramref name="calls"/> calls taken together must allocate nothing, so that code allocating once
    /// every few thousand calls fails as surely as code allocating on every call.
    /// </summary>
    public static void AssertSteadyStateAllocatesNothing(Action body, int settleCalls, int calls, string what)
    {
        AssertOneCleanWindow(body, settleCalls, what);
        long bytes = OnThisThread(body, calls);
        if (bytes != 0) Assert.Fail($"{what} allocated {bytes} bytes in {calls} calls after settling");
    }

    /// <summary>Bytes allocated on the calling thread by <paramref name="calls"/> calls of <paramref name="body"/>.</summary>
    public static long OnThisThread(Action body, int calls = 1)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < calls; i++) body();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
