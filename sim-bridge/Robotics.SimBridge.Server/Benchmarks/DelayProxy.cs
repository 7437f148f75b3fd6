using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Robotics.SimBridge.Benchmarks;

/// <summary>Where a <see cref="DelayProxy"/> forwards to and how long it holds what passes through.</summary>
public sealed record DelayProxyOptions
{
    /// <summary>Host name or address that each accepted connection is forwarded to.</summary>
    public required string TargetHost { get; init; }

    /// <summary>Port on <see cref="TargetHost"/>.</summary>
    public required int TargetPort { get; init; }

    /// <summary>How long each chunk is held in each direction: half the round trip to stand for.</summary>
    public required TimeSpan OneWayDelay { get; init; }

    /// <summary>Loopback port to listen on; 0 takes a free one (see <see cref="DelayProxy.Port"/>).</summary>
    public int ListenPort { get; init; }

    /// <summary>
    /// Bytes one direction of a connection may hold before the proxy stops reading from that side, as a full network
    /// would push back. Not a bandwidth limit in practice: at 16 MiB and 25 ms each way it allows 640 MiB/s.
    /// </summary>
    public int MaxHeldBytes { get; init; } = 16 << 20;

    /// <summary>Connections opened and closed, and why a connection could not be made; null: silent.</summary>
    public Action<string>? Log { get; init; }
}

/// <summary>What a <see cref="DelayProxy"/> has forwarded, and how long it held each chunk (read to send).</summary>
public sealed record DelayProxyStats(long Connections, long Chunks, long Bytes, TimeSpan MeanHeld, TimeSpan MaxHeld);

/// <summary>
/// A TCP proxy on loopback that delays every chunk by a fixed time in each direction, to measure a client against a
/// server as if it were a network round trip away (for hosts without netem). Each accepted connection is forwarded
/// to the target, both ways, in order, each chunk held for <see cref="DelayProxyOptions.OneWayDelay"/> from the moment
/// it was read; chunks in flight wait side by side, so throughput is what the delay implies and no less. ZeroMQ over
/// TCP passes through it unchanged. Disposing closes the listener and every connection.
/// </summary>
public sealed class DelayProxy : IDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    private readonly DelayProxyOptions options;
    private readonly Socket listener;
    private readonly Thread acceptor;
    private readonly DelayProxyCounters counters = new();
    private readonly HashSet<Connection> connections = [];
    private readonly CancellationTokenSource disposing = new();
    private long connectionCount;
    private bool disposed;

    private DelayProxy(DelayProxyOptions options, Socket listener)
    {
        this.options = options;
        this.listener = listener;
        Port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        acceptor = new Thread(Accept) { IsBackground = true, Name = $"delay proxy :{Port} accept" };
    }

    /// <summary>The loopback port this proxy listens on.</summary>
    public int Port { get; }

    /// <summary>Where a NetMQ client connects to go through this proxy, e.g. tcp://127.0.0.1:40123.</summary>
    public string Endpoint => $"tcp://127.0.0.1:{Port}";

    /// <summary>How long each chunk is held in each direction.</summary>
    public TimeSpan OneWayDelay => options.OneWayDelay;

    /// <summary>What has passed through so far: connections accepted, chunks and bytes forwarded, time held.</summary>
    public DelayProxyStats Stats => counters.Snapshot(Interlocked.Read(ref connectionCount));

    /// <summary>Listens on 127.0.0.1 and starts accepting; throws <see cref="SocketException"/> if the port is taken.</summary>
    public static DelayProxy Start(DelayProxyOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.OneWayDelay, TimeSpan.Zero, nameof(options.OneWayDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxHeldBytes, 1, nameof(options.MaxHeldBytes));
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(new IPEndPoint(IPAddress.Loopback, options.ListenPort));
            listener.Listen(64);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        var proxy = new DelayProxy(options, listener);
        proxy.acceptor.Start();
        return proxy;
    }

    /// <summary>Reads HOST:PORT, also as tcp://HOST:PORT (a bridge endpoint) or [IPv6]:PORT.</summary>
    /// <exception cref="ArgumentException">The text is not a host and a port from 1 to 65535; the message says so.</exception>
    public static (string Host, int Port) ParseTarget(string text)
    {
        string rest = text.StartsWith("tcp://", StringComparison.Ordinal) ? text["tcp://".Length..] : text;
        int colon = rest.LastIndexOf(':');
        string host = colon > 0 ? rest[..colon].Trim('[', ']') : "";
        if (host.Length == 0 || !int.TryParse(rest[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
        {
            throw new ArgumentException($"'{text}' is not HOST:PORT (e.g. 127.0.0.1:5555 or tcp://10.0.0.2:5555)");
        }

        return (host, port);
    }

    public void Dispose()
    {
        Connection[] open;
        lock (connections)
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
            open = [.. connections];
        }

        disposing.Cancel();
        listener.Dispose();
        acceptor.Join(TimeSpan.FromSeconds(2));
        foreach (var connection in open)
        {
            connection.Close();
        }

        foreach (var connection in open)
        {
            connection.Join(TimeSpan.FromSeconds(2));
        }

        disposing.Dispose();
    }

    private void Accept()
    {
        while (true)
        {
            Socket client;
            try
            {
                client = listener.Accept();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return; // disposed
            }

            Interlocked.Increment(ref connectionCount);
            _ = Task.Run(() => ConnectAsync(client));
        }
    }

    /// <summary>Opens the target side of an accepted connection; if it cannot, closes the client side, as a refused connection would.</summary>
    private async Task ConnectAsync(Socket client)
    {
        var target = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(disposing.Token);
            timeout.CancelAfter(ConnectTimeout);
            await target.ConnectAsync(options.TargetHost, options.TargetPort, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            options.Log?.Invoke($"delay proxy :{Port}: could not connect to {options.TargetHost}:{options.TargetPort}: {e.Message}");
            target.Dispose();
            client.Dispose();
            return;
        }

        client.NoDelay = true;
        target.NoDelay = true;
        var connection = new Connection(this, client, target);
        lock (connections)
        {
            if (disposed)
            {
                connection.Close();
                return;
            }

            connections.Add(connection);
        }

        options.Log?.Invoke($"delay proxy :{Port}: {client.RemoteEndPoint} connected to {target.RemoteEndPoint}");
        connection.Start();
    }

    private void Forget(Connection connection)
    {
        lock (connections)
        {
            connections.Remove(connection);
        }
    }

    /// <summary>An accepted connection and its target: two delayed pipes. Closed when both ends have finished, or when either fails.</summary>
    private sealed class Connection
    {
        private readonly DelayProxy proxy;
        private readonly Socket client;
        private readonly Socket target;
        private readonly DelayedPipe up;
        private readonly DelayedPipe down;
        private int endsFinished;
        private int closed;

        public Connection(DelayProxy proxy, Socket client, Socket target)
        {
            this.proxy = proxy;
            this.client = client;
            this.target = target;
            var o = proxy.options;
            string name = $"delay proxy :{proxy.Port}";
            up = new DelayedPipe($"{name} up", client, target, o.OneWayDelay, o.MaxHeldBytes, proxy.counters, EndFinished, Broken);
            down = new DelayedPipe($"{name} down", target, client, o.OneWayDelay, o.MaxHeldBytes, proxy.counters, EndFinished, Broken);
        }

        public void Start()
        {
            up.Start();
            down.Start();
        }

        public void Close()
        {
            if (Interlocked.Exchange(ref closed, 1) != 0)
            {
                return;
            }

            up.Close();
            down.Close();
            Shut(client);
            Shut(target);
            proxy.Forget(this);
        }

        public void Join(TimeSpan timeout)
        {
            up.Join(timeout);
            down.Join(timeout);
        }

        private void EndFinished()
        {
            if (Interlocked.Increment(ref endsFinished) == 2)
            {
                proxy.options.Log?.Invoke($"delay proxy :{proxy.Port}: connection closed by both ends");
                Close();
            }
        }

        private void Broken(Exception e)
        {
            if (Volatile.Read(ref closed) == 0)
            {
                proxy.options.Log?.Invoke($"delay proxy :{proxy.Port}: connection dropped: {e.Message}");
            }

            Close();
        }

        /// <summary>Shutting down first ends a read or send blocked on the socket in another thread.</summary>
        private static void Shut(Socket socket)
        {
            try
            {
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // already closed by the other end
            }

            socket.Dispose();
        }
    }
}

/// <summary>Chunks and bytes forwarded and the time they were held, added to by every pipe of a proxy at once.</summary>
internal sealed class DelayProxyCounters
{
    private long chunks;
    private long bytes;
    private long heldTicks;
    private long maxHeldTicks;

    public void Record(int count, long held)
    {
        Interlocked.Increment(ref chunks);
        Interlocked.Add(ref bytes, count);
        Interlocked.Add(ref heldTicks, held);
        long max = Volatile.Read(ref maxHeldTicks);
        while (held > max)
        {
            long seen = Interlocked.CompareExchange(ref maxHeldTicks, held, max);
            if (seen == max)
            {
                break;
            }

            max = seen;
        }
    }

    public DelayProxyStats Snapshot(long connections)
    {
        long n = Interlocked.Read(ref chunks);
        return new DelayProxyStats(
            connections,
            n,
            Interlocked.Read(ref bytes),
            n == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(0, Interlocked.Read(ref heldTicks) / n),
            Stopwatch.GetElapsedTime(0, Volatile.Read(ref maxHeldTicks)));
    }
}
