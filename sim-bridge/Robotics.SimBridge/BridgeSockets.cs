using NetMQ;

namespace Robotics.SimBridge;

/// <summary>
/// Process-wide socket settings that shorten a bridge round trip. On Linux, .NET hands every socket
/// completion from its epoll thread to the thread pool, which then wakes NetMQ's I/O thread: one more
/// thread hop per received message, each way. NetMQ's completion handlers only queue work, so running
/// them inline on the epoll thread is safe for it, and halves the client's CPU per round trip (measured,
/// see docs/benchmarks.md).
/// </summary>
public static class BridgeSockets
{
    public const string InlineCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>
    /// Runs socket completions on .NET's epoll thread, unless the variable is already set. Takes effect only when
    /// called before the process opens its first socket; it applies to every socket of the process, so a process
    /// that runs blocking code in socket continuations (e.g. a web server) should not call it.
    /// </summary>
    public static void PreferInlineCompletions()
    {
        if (Environment.GetEnvironmentVariable(InlineCompletionsVariable) is null)
        {
            Environment.SetEnvironmentVariable(InlineCompletionsVariable, "1");
        }
    }

    /// <summary>Reuses NetMQ's message buffers instead of allocating one per message (fewer garbage collections).</summary>
    public static void PoolMessageBuffers() => BufferPool.SetBufferManagerBufferPool(64L * 1024 * 1024, 4 * 1024 * 1024);
}
