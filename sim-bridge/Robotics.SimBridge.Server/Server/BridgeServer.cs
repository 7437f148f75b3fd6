using NetMQ;
using NetMQ.Sockets;
using Robotics.SimBridge.Protocol;

namespace Robotics.SimBridge.Server;

/// <summary>
/// A sim bridge: a ROUTER socket that serves batches of environments, one batch per connected DEALER
/// client. The socket, the poller and every environment call live on one thread (the one that calls
/// <see cref="Run"/>, or the background thread of <see cref="Start"/>); environments step their
/// batch in parallel on their own worker threads.
/// </summary>
public sealed class BridgeServer : IDisposable
{
    private static readonly TimeSpan StopCheckInterval = TimeSpan.FromMilliseconds(50);
    private readonly IBridgeEnvFactory factory;
    private readonly BridgeServerOptions options;
    private readonly CancellationTokenSource stopping = new();
    private Thread? thread;
    private bool disposed;

    public BridgeServer(IBridgeEnvFactory factory, BridgeServerOptions? options = null)
    {
        this.factory = factory;
        this.options = options ?? new BridgeServerOptions();
    }

    /// <summary>The endpoint the bridge listens on (with the actual port when bound to port 0); null before binding.</summary>
    public string? Endpoint { get; private set; }

    /// <summary>
    /// Binds <paramref name="bindEndpoint"/> (tcp://host:port, tcp://host:0 for a free port, or ipc://path) and serves on
    /// the calling thread until <paramref name="cancel"/> fires or <see cref="Stop"/> is called.
    /// </summary>
    public void Run(string bindEndpoint, Action<string>? onBound = null, CancellationToken cancel = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancel, stopping.Token);
        using var handler = new BridgeRequestHandler(factory, options);
        using var router = new RouterSocket();
        router.Options.Linger = TimeSpan.Zero;
        router.Options.RouterHandover = true; // a client that reconnects with the same identity takes its slot over
        router.Options.MaxMsgSize = options.MaxFrameBytes; // checked against the frame's length header, before allocating
        if (options.Keys is { } keys)
        {
            // Over TCP and IPC; ZeroMQ applies no security mechanism to inproc:// peers, which are this process.
            router.Options.CurveServer = true;
            router.Options.CurveCertificate = new NetMQCertificate(keys.Bridge.SecretKey, keys.Bridge.PublicKey);
        }

        Endpoint = BindEndpoint(router, bindEndpoint);
        foreach (var extra in options.AlsoBind)
        {
            BindEndpoint(router, extra);
        }

        onBound?.Invoke(Endpoint);

        // The poller checks for a stop request a few times a second, on its own thread: stopping needs no
        // cross-thread call into the poller, which would race with it starting.
        var stopCheck = new NetMQTimer(StopCheckInterval);
        using var poller = new NetMQPoller { router, stopCheck };
        var receiver = new RouterReceiver(router, handler, options.MaxDrain);
        router.ReceiveReady += (_, _) => receiver.Drain();
        stopCheck.Elapsed += (_, _) =>
        {
            if (linked.IsCancellationRequested)
            {
                poller.StopAsync();
            }
        };
        if (!linked.IsCancellationRequested)
        {
            poller.Run();
        }

        poller.Remove(router);
        poller.Remove(stopCheck);
    }

    /// <summary>Binds and serves on a background thread; returns once bound (throws if binding fails).</summary>
    public void Start(string bindEndpoint)
    {
        if (thread is not null)
        {
            throw new InvalidOperationException("the bridge is already running");
        }

        var bound = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        thread = new Thread(() =>
        {
            try
            {
                Run(bindEndpoint, endpoint => bound.TrySetResult(endpoint), stopping.Token);
            }
            catch (Exception e)
            {
                if (!bound.TrySetException(e))
                {
                    options.Log?.Invoke($"bridge stopped with an error: {e}");
                }
            }
        })
        {
            IsBackground = true,
            Name = "sim-bridge",
        };
        thread.Start();
        bound.Task.GetAwaiter().GetResult();
    }

    /// <summary>Stops serving and frees every environment; waits for the bridge thread when there is one.</summary>
    public void Stop()
    {
        stopping.Cancel();
        if (thread is not null && thread != Thread.CurrentThread)
        {
            thread.Join();
        }
    }

    /// <summary>Stops the bridge; a second call does nothing.</summary>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        Stop();
        stopping.Dispose();
    }

    private static string BindEndpoint(RouterSocket router, string endpoint)
    {
        try
        {
            if (endpoint.StartsWith("tcp://", StringComparison.Ordinal) &&
                (endpoint.EndsWith(":0", StringComparison.Ordinal) || endpoint.EndsWith(":*", StringComparison.Ordinal)))
            {
                string address = endpoint[..endpoint.LastIndexOf(':')];
                int port = router.BindRandomPort(address);
                return $"{address}:{port}";
            }

            router.Bind(endpoint);
            return endpoint;
        }
        catch (Exception e) when (e is NetMQException or ArgumentException or System.Net.Sockets.SocketException)
        {
            throw new BridgeException(
                $"cannot bind the sim bridge to {endpoint}: {e.Message}. Use tcp://HOST:PORT (a free port; :0 picks one) or ipc://PATH.", e);
        }
    }
}
