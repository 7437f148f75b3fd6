using System.Buffers;
using System.Diagnostics;
using System.Net.Sockets;
using Robotics.Contract.Timing;

namespace Robotics.SimBridge.Benchmarks;

/// <summary>
/// One direction of a <see cref="DelayProxy"/> connection: a reading thread stamps each chunk as it arrives and
/// queues it, a forwarding thread sends each chunk once its own due time (arrival + delay) has come. Chunks wait side
/// by side, not one after another, so the delay adds latency but no bandwidth limit; the delay is constant, so arrival
/// order is due order and a plain queue keeps the stream in order.
/// </summary>
internal sealed class DelayedPipe
{
    private const int ChunkBytes = 64 * 1024;

    private readonly Socket from;
    private readonly Socket to;
    private readonly long delayTicks;
    private readonly int maxHeldBytes;
    private readonly DelayProxyCounters counters;
    private readonly Action ended;
    private readonly Action<Exception> broken;
    private readonly Queue<Chunk> queue = new();
    private readonly object gate = new();
    private readonly Thread reader;
    private readonly Thread forwarder;
    private int heldBytes;
    private bool closed;

    /// <param name="ended">Called once the end of the stream has been passed on, after the delay.</param>
    /// <param name="broken">Called when either socket fails; the owner then closes the connection.</param>
    public DelayedPipe(string name, Socket from, Socket to, TimeSpan delay, int maxHeldBytes, DelayProxyCounters counters, Action ended, Action<Exception> broken)
    {
        this.from = from;
        this.to = to;
        delayTicks = (long)(delay.TotalSeconds * Stopwatch.Frequency);
        this.maxHeldBytes = maxHeldBytes;
        this.counters = counters;
        this.ended = ended;
        this.broken = broken;
        reader = new Thread(Read) { IsBackground = true, Name = $"{name} read" };
        forwarder = new Thread(Forward) { IsBackground = true, Name = $"{name} forward" };
    }

    /// <summary>A chunk read at <see cref="Arrived"/> (Stopwatch ticks); no buffer marks the end of the stream.</summary>
    private readonly record struct Chunk(byte[]? Buffer, int Count, long Arrived);

    public void Start()
    {
        reader.Start();
        forwarder.Start();
    }

    /// <summary>Wakes both threads so that they stop; the owner closes the sockets, which ends a blocked read or send.</summary>
    public void Close()
    {
        lock (gate)
        {
            closed = true;
            Monitor.PulseAll(gate);
        }
    }

    public bool Join(TimeSpan timeout) => reader.Join(timeout) & forwarder.Join(timeout);

    private void Read()
    {
        try
        {
            while (true)
            {
                byte[] buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
                int count;
                try
                {
                    count = from.Receive(buffer);
                }
                catch
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    throw;
                }

                long now = Stopwatch.GetTimestamp();
                if (count == 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    Enqueue(new Chunk(null, 0, now));
                    return;
                }

                if (!Enqueue(new Chunk(buffer, count, now)))
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return;
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            broken(e);
        }
    }

    /// <summary>Queues a chunk, first waiting while the chunks held already reach the limit; false once closed.</summary>
    private bool Enqueue(Chunk chunk)
    {
        lock (gate)
        {
            while (heldBytes >= maxHeldBytes && !closed)
            {
                Monitor.Wait(gate);
            }

            if (closed)
            {
                return false;
            }

            queue.Enqueue(chunk);
            heldBytes += chunk.Count;
            Monitor.PulseAll(gate);
            return true;
        }
    }

    private void Forward()
    {
        try
        {
            while (TryTake(out var chunk))
            {
                if (!WaitUntil(chunk.Arrived + delayTicks))
                {
                    Return(chunk);
                    break;
                }

                if (chunk.Buffer is null)
                {
                    to.Shutdown(SocketShutdown.Send);
                    ended();
                    return;
                }

                long sent = Stopwatch.GetTimestamp();
                for (int offset = 0; offset < chunk.Count;)
                {
                    offset += to.Send(chunk.Buffer, offset, chunk.Count - offset, SocketFlags.None);
                }

                counters.Record(chunk.Count, sent - chunk.Arrived);
                Return(chunk);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            broken(e);
        }
        finally
        {
            DrainAfterClose();
        }
    }

    private bool TryTake(out Chunk chunk)
    {
        lock (gate)
        {
            while (queue.Count == 0 && !closed)
            {
                Monitor.Wait(gate);
            }

            if (closed)
            {
                chunk = default;
                return false;
            }

            chunk = queue.Dequeue();
            return true;
        }
    }

    /// <summary>Gives back a sent chunk's buffer and room in the queue, waking a reader that waits for room.</summary>
    private void Return(Chunk chunk)
    {
        if (chunk.Buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(chunk.Buffer);
        }

        lock (gate)
        {
            heldBytes -= chunk.Count;
            Monitor.PulseAll(gate);
        }
    }

    private void DrainAfterClose()
    {
        lock (gate)
        {
            while (queue.TryDequeue(out var chunk))
            {
                if (chunk.Buffer is not null)
                {
                    ArrayPool<byte>.Shared.Return(chunk.Buffer);
                }
            }
        }
    }

    /// <summary>
    /// Waits until <paramref name="due"/> (Stopwatch ticks) without spinning where nanosleep exists (<see cref="PreciseSleep"/>:
    /// within the kernel's timer slack, about 50 microseconds), so the many forwarding threads of a busy proxy leave the
    /// cores to the bridges and the trainer; elsewhere it yields through the last 2 ms. Checks for a close at least every
    /// 50 ms. False if the pipe was closed meanwhile.
    /// </summary>
    private bool WaitUntil(long due)
    {
        while (!Volatile.Read(ref closed))
        {
            long remaining = due - Stopwatch.GetTimestamp();
            if (remaining <= 0)
            {
                return true;
            }

            if (!PreciseSleep.Sleep(Math.Min(50_000_000, (long)(remaining * (1e9 / Stopwatch.Frequency)))))
            {
                Thread.Yield();
            }
        }

        return false;
    }
}
