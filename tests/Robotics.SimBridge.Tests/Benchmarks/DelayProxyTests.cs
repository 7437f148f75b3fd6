using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Robotics.Contract.Environments;
using Robotics.SimBridge.Benchmarks;
using Robotics.SimBridge.Client;
using Robotics.SimBridge.Hosting;
using Robotics.SimBridge.Protocol;
using Robotics.SimBridge.Tests.Fakes;
using Xunit.Abstractions;

namespace Robotics.SimBridge.Tests.Benchmarks;

/// <summary>
/// The delay proxy stands for a network round trip on one machine. Its timing is checked from below (a chunk is
/// never early) and, generously, from above (the delay is not multiplied); never for speed.
/// </summary>
[Collection(BridgeCollection.Name)]
public sealed class DelayProxyTests(ITestOutputHelper output)
{
    private static readonly BridgeClientOptions Quick = new() { Timeout = TimeSpan.FromSeconds(5) };

    [Fact]
    public void Bytes_pass_both_ways_intact_and_in_order()
    {
        using var echo = new EchoServer();
        using var proxy = Through(echo.Port, TimeSpan.FromMilliseconds(0.5));
        var sent = new byte[4 << 20];
        new Random(3).NextBytes(sent);

        using var socket = Connect(proxy.Port);
        var received = new byte[sent.Length];
        var reading = StartReading(socket, received);
        var random = new Random(5);
        for (int offset = 0; offset < sent.Length;)
        {
            int count = Math.Min(random.Next(1, 100_000), sent.Length - offset);
            socket.Send(sent, offset, count, SocketFlags.None);
            offset += count;
        }

        Assert.True(reading.Join(TimeSpan.FromSeconds(30)), "the echo did not come back within 30 s");
        Assert.Equal(sent, received);
        Assert.Equal(2L * sent.Length, proxy.Stats.Bytes);
    }

    [Theory]
    [InlineData(0.05)]
    [InlineData(2)]
    [InlineData(25)]
    public void A_round_trip_takes_at_least_the_delay_each_way(double oneWayMilliseconds)
    {
        var delay = TimeSpan.FromMilliseconds(oneWayMilliseconds);
        using var echo = new EchoServer();
        using var proxy = Through(echo.Port, delay);
        using var socket = Connect(proxy.Port);
        var reply = new byte[1];

        var trips = new List<double>();
        for (int i = 0; i < 9; i++)
        {
            long start = Stopwatch.GetTimestamp();
            socket.Send([(byte)i]);
            ReadExactly(socket, reply);
            trips.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            Assert.Equal((byte)i, reply[0]);
        }

        double median = Median(trips);
        var held = proxy.Stats;
        output.WriteLine($"one way {oneWayMilliseconds} ms: round trip median {median:0.000} ms, min {trips.Min():0.000}, max {trips.Max():0.000}; " +
            $"held mean {held.MeanHeld.TotalMilliseconds:0.000} ms, max {held.MaxHeld.TotalMilliseconds:0.000} ms");
        Assert.All(trips, trip => Assert.True(trip >= 2 * oneWayMilliseconds, $"a round trip of {trip:0.000} ms is shorter than the delay both ways"));
        Assert.True(held.MeanHeld >= delay, $"chunks were held {held.MeanHeld.TotalMilliseconds:0.000} ms on average, less than {oneWayMilliseconds} ms");
        Assert.True(median < 2 * oneWayMilliseconds + 20, $"median round trip {median:0.000} ms is far beyond 2 × {oneWayMilliseconds} ms");
    }

    [Fact]
    public void Chunks_in_flight_wait_side_by_side_not_one_after_another()
    {
        const int chunks = 20;
        var delay = TimeSpan.FromMilliseconds(50);
        using var echo = new EchoServer();
        using var proxy = Through(echo.Port, delay);
        using var socket = Connect(proxy.Port);

        var received = new byte[chunks];
        var reading = StartReading(socket, received);
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < chunks; i++)
        {
            socket.Send([(byte)i]);
            Thread.Sleep(5); // each byte its own chunk, all of them sent within the first chunk's delay
        }

        Assert.True(reading.Join(TimeSpan.FromSeconds(10)), "the echo did not come back within 10 s");
        var elapsed = clock.Elapsed;
        var stats = proxy.Stats;

        // Held one after another, the last of 20 chunks would wait 20 × 50 ms in the proxy. The bound is the
        // proxy's own reading-to-sending time, so a slow test thread cannot make it fail.
        output.WriteLine($"{chunks} chunks, {delay.TotalMilliseconds} ms each way: all back after {elapsed.TotalMilliseconds:0} ms; " +
            $"{stats.Chunks} chunks forwarded, held mean {stats.MeanHeld.TotalMilliseconds:0.0} ms, max {stats.MaxHeld.TotalMilliseconds:0.0} ms");
        Assert.Equal(Enumerable.Range(0, chunks).Select(i => (byte)i), received);
        Assert.True(elapsed >= 2 * delay);
        Assert.True(stats.MaxHeld < 5 * delay, $"a chunk was held {stats.MaxHeld.TotalMilliseconds:0} ms for a {delay.TotalMilliseconds} ms delay: delays add up");
    }

    [Fact]
    public void A_bridge_client_steps_through_the_proxy_exactly_as_it_does_directly()
    {
        const int envs = 3;
        using var bridge = LocalBridge.StartInProcess(new ToyEnvFactory());
        using var proxy = Through(bridge.Endpoint, TimeSpan.FromMilliseconds(1));
        var make = new MakeRequest { Task = "toy", NumEnvs = envs };
        using var delayed = BridgeClient.Open(proxy.Endpoint, make, Quick);
        using var direct = BridgeClient.Open(bridge.Endpoint, make, Quick);
        var delayedStep = new VectorStep(envs, 3);
        var directStep = new VectorStep(envs, 3);

        delayed.Reset(11, delayedStep);
        direct.Reset(11, directStep);
        Assert.Equal(directStep.Observations, delayedStep.Observations);
        var random = new Random(7);
        var actions = new float[envs * 2];
        for (int t = 0; t < 30; t++)
        {
            for (int i = 0; i < actions.Length; i++)
            {
                actions[i] = (float)(random.NextDouble() * 2 - 1);
            }

            delayed.Step(actions, delayedStep);
            direct.Step(actions, directStep);
            StepAssert.Same(directStep, delayedStep);
        }

        Assert.Equal(30L * envs, delayed.GetStats().EnvSteps);
        Assert.True(proxy.Stats.Chunks >= 2 * 30, "every step request and reply went through the proxy");
    }

    [Fact]
    public void A_request_and_reply_through_a_10_ms_proxy_take_10_ms_and_a_little_more()
    {
        using var bridge = LocalBridge.StartInProcess(new ToyEnvFactory());
        using var proxy = Through(bridge.Endpoint, TimeSpan.FromMilliseconds(5));
        using var client = BridgeClient.Connect(proxy.Endpoint, Quick);
        using var direct = BridgeClient.Connect(bridge.Endpoint, Quick);

        var trips = RoundTrips(client, 30);
        var directTrips = RoundTrips(direct, 30);

        double median = Median(trips);
        output.WriteLine($"GetStats through a 10 ms round trip: median {median:0.00} ms, min {trips.Min():0.00}, max {trips.Max():0.00}; " +
            $"directly: median {Median(directTrips):0.00} ms; {proxy.Stats.Chunks} chunks held mean {proxy.Stats.MeanHeld.TotalMilliseconds:0.000} ms, max {proxy.Stats.MaxHeld.TotalMilliseconds:0.000} ms");
        Assert.All(trips, trip => Assert.True(trip >= 10, $"a round trip of {trip:0.00} ms is shorter than the 10 ms delay"));
        Assert.True(median < 30, $"median round trip {median:0.00} ms: the proxy adds far more than the 10 ms asked");
        Assert.True(proxy.Stats.MeanHeld < TimeSpan.FromMilliseconds(10), $"chunks were held {proxy.Stats.MeanHeld.TotalMilliseconds:0.000} ms on average for a 5 ms delay");
    }

    [Fact]
    public void Dispose_closes_the_connections_and_the_port()
    {
        using var echo = new EchoServer();
        var proxy = Through(echo.Port, TimeSpan.FromMilliseconds(1));
        using var socket = Connect(proxy.Port);
        socket.Send([1]);
        ReadExactly(socket, new byte[1]);

        proxy.Dispose();

        socket.ReceiveTimeout = 5000;
        int read;
        try
        {
            read = socket.Receive(new byte[1]);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            read = 0;
        }

        Assert.Equal(0, read);
        Assert.Throws<SocketException>(() => Connect(proxy.Port).Dispose());
    }

    [Fact]
    public void A_target_that_refuses_closes_the_accepted_connection()
    {
        int unused;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            unused = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var log = new List<string>();
        using var proxy = DelayProxy.Start(new DelayProxyOptions
        {
            TargetHost = "127.0.0.1",
            TargetPort = unused,
            OneWayDelay = TimeSpan.FromMilliseconds(1),
            Log = line => { lock (log) log.Add(line); },
        });
        using var socket = Connect(proxy.Port);
        socket.ReceiveTimeout = 10_000;

        Assert.Equal(0, socket.Receive(new byte[1]));
        lock (log) Assert.Contains(log, line => line.Contains($"could not connect to 127.0.0.1:{unused}"));
    }

    [Theory]
    [InlineData("10.0.0.2:5555", "10.0.0.2", 5555)]
    [InlineData("tcp://127.0.0.1:40123", "127.0.0.1", 40123)]
    [InlineData("bridge-host:1", "bridge-host", 1)]
    [InlineData("[::1]:5555", "::1", 5555)]
    public void A_target_is_host_and_port_with_or_without_tcp(string text, string host, int port)
    {
        Assert.Equal((host, port), DelayProxy.ParseTarget(text));
    }

    [Theory]
    [InlineData("5555")]
    [InlineData("host")]
    [InlineData("host:")]
    [InlineData("host:0")]
    [InlineData("host:70000")]
    [InlineData(":5555")]
    public void A_target_without_host_or_valid_port_is_refused_with_an_example(string text)
    {
        var e = Assert.Throws<ArgumentException>(() => DelayProxy.ParseTarget(text));
        Assert.Equal($"'{text}' is not HOST:PORT (e.g. 127.0.0.1:5555 or tcp://10.0.0.2:5555)", e.Message);
    }

    private static List<double> RoundTrips(BridgeClient client, int count)
    {
        var trips = new List<double>();
        for (int i = 0; i < count; i++)
        {
            long start = Stopwatch.GetTimestamp();
            client.GetStats();
            trips.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        return trips;
    }

    private static DelayProxy Through(int port, TimeSpan oneWay) =>
        DelayProxy.Start(new DelayProxyOptions { TargetHost = "127.0.0.1", TargetPort = port, OneWayDelay = oneWay });

    private static DelayProxy Through(string endpoint, TimeSpan oneWay)
    {
        var (host, port) = DelayProxy.ParseTarget(endpoint);
        return DelayProxy.Start(new DelayProxyOptions { TargetHost = host, TargetPort = port, OneWayDelay = oneWay });
    }

    private static Socket Connect(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Connect(IPAddress.Loopback, port);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static void ReadExactly(Socket socket, byte[] into)
    {
        for (int offset = 0; offset < into.Length;)
        {
            int read = socket.Receive(into, offset, into.Length - offset, SocketFlags.None);
            if (read == 0)
            {
                throw new IOException($"the connection closed after {offset} of {into.Length} bytes");
            }

            offset += read;
        }
    }

    /// <summary>Reads on a thread of its own, so that the test can write at the same time.</summary>
    private static Thread StartReading(Socket socket, byte[] into)
    {
        var thread = new Thread(() => ReadExactly(socket, into)) { IsBackground = true, Name = "test read" };
        thread.Start();
        return thread;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    /// <summary>A TCP server on loopback that sends back whatever each connection sends it.</summary>
    private sealed class EchoServer : IDisposable
    {
        private readonly TcpListener listener = new(IPAddress.Loopback, 0);
        private readonly List<Socket> accepted = [];

        public EchoServer()
        {
            listener.Start();
            Port = ((IPEndPoint)listener.LocalEndpoint).Port;
            new Thread(Accept) { IsBackground = true, Name = "echo accept" }.Start();
        }

        public int Port { get; }

        public void Dispose()
        {
            listener.Stop();
            lock (accepted)
            {
                foreach (var socket in accepted) socket.Dispose();
            }
        }

        private void Accept()
        {
            try
            {
                while (true)
                {
                    var socket = listener.AcceptSocket();
                    socket.NoDelay = true;
                    lock (accepted) accepted.Add(socket);
                    new Thread(() => Echo(socket)) { IsBackground = true, Name = "echo" }.Start();
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // stopped
            }
        }

        private static void Echo(Socket socket)
        {
            var buffer = new byte[65536];
            try
            {
                int read;
                while ((read = socket.Receive(buffer)) > 0)
                {
                    for (int offset = 0; offset < read;)
                    {
                        offset += socket.Send(buffer, offset, read - offset, SocketFlags.None);
                    }
                }

                socket.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // closed
            }
        }
    }
}
