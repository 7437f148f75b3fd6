using System.Runtime.ExceptionServices;

namespace Robotics.Sim.Environments;

/// <summary>
/// A fixed set of threads that run one parallel loop at a time, with the calling thread taking part.
/// Items are handed out one by one from a shared counter, so the work balances itself; a run costs
/// two event signals per worker and allocates nothing. Not reentrant: one <see cref="Run"/> at a time.
/// </summary>
internal sealed class WorkerPool : IDisposable
{
    private const int SpinCount = 200;

    private readonly Thread[] threads;
    private readonly ManualResetEventSlim[] start;
    private readonly ManualResetEventSlim done = new(false, SpinCount);
    private Action<int> body = static _ => { };
    private int itemCount;
    private int nextItem;
    private int pending;
    private volatile bool disposed;
    private Exception? failure;

    /// <param name="threads">Threads in all, the caller included; 1 runs everything on the caller.</param>
    public WorkerPool(int threads, string name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        this.threads = new Thread[threads - 1];
        start = new ManualResetEventSlim[threads - 1];
        for (int w = 0; w < this.threads.Length; w++)
        {
            start[w] = new ManualResetEventSlim(false, SpinCount);
            int worker = w;
            this.threads[w] = new Thread(() => WorkerLoop(worker)) { IsBackground = true, Name = $"{name} {w + 1}" };
            this.threads[w].Start();
        }
    }

    public int ThreadCount => threads.Length + 1;

    /// <summary>Calls <paramref name="action"/> for every item in [0, count) across the threads; rethrows the first exception.</summary>
    public void Run(int count, Action<int> action)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (threads.Length == 0 || count <= 1)
        {
            for (int i = 0; i < count; i++)
                action(i);
            return;
        }

        body = action;
        itemCount = count;
        nextItem = 0;
        failure = null;
        pending = threads.Length;
        done.Reset();
        foreach (var signal in start)
            signal.Set();
        Work();
        done.Wait();
        if (failure is { } error)
            ExceptionDispatchInfo.Capture(error).Throw();
    }

    public void Dispose()
    {
        if (disposed)
            return;
        disposed = true;
        foreach (var signal in start)
            signal.Set();
        foreach (var thread in threads)
            thread.Join();
        foreach (var signal in start)
            signal.Dispose();
        done.Dispose();
    }

    private void WorkerLoop(int worker)
    {
        while (true)
        {
            start[worker].Wait();
            start[worker].Reset();
            if (disposed)
                return;
            Work();
            if (Interlocked.Decrement(ref pending) == 0)
                done.Set();
        }
    }

    private void Work()
    {
        int i;
        while ((i = Interlocked.Increment(ref nextItem) - 1) < itemCount)
        {
            try
            {
                body(i);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref failure, e, null);
            }
        }
    }
}
