using System.CommandLine;
using System.Globalization;
using System.Net.Sockets;
using Robotics.Contract.CommandLine;
using Robotics.SimBridge.Benchmarks;

namespace Robotics.Cli.Commands;

/// <summary>
/// <c>robotics bench delay-proxy --listen PORT --target HOST:PORT --rtt-ms X</c>: forwards a loopback port to a bridge
/// (or any TCP server) with a round trip added, until Ctrl-C, so that a trainer can be measured against bridges at a
/// distance on one machine.
/// </summary>
internal static class BenchDelayProxyCommand
{
    public static Command Create()
    {
        var listen = new Option<int>("--listen") { Description = "loopback port to listen on; 0 takes a free one (printed)", Required = true };
        var target = new Option<string>("--target") { Description = "where to forward each connection: HOST:PORT, e.g. 127.0.0.1:5555 (a bridge's tcp:// endpoint works too)", Required = true };
        var rttMs = new Option<double>("--rtt-ms") { Description = "round trip to add, in milliseconds; each direction holds every chunk half of it", Required = true };
        var command = new Command("delay-proxy", "Forward a loopback port to a bridge with a network round trip added, until Ctrl-C (for measuring at a distance; see docs/bridge-hosts.md).")
        {
            listen, target, rttMs,
        };
        command.SetAction(parse => CliErrors.Known.Run(null, () => Run(parse.GetValue(listen), parse.GetValue(target)!, parse.GetValue(rttMs))));
        return command;
    }

    private static int Run(int listen, string target, double rttMs)
    {
        if (listen is < 0 or > 65535)
        {
            throw new CommandLineException($"--listen ({listen}) must be a port from 0 to 65535");
        }

        if (!(rttMs >= 0) || double.IsInfinity(rttMs))
        {
            throw new CommandLineException($"--rtt-ms ({rttMs.ToString(CultureInfo.InvariantCulture)}) must be a round trip of 0 or more milliseconds");
        }

        string host;
        int port;
        try
        {
            (host, port) = DelayProxy.ParseTarget(target);
        }
        catch (ArgumentException e)
        {
            throw new CommandLineException($"--target: {e.Message}");
        }

        using var stop = new StopSignal();
        DelayProxy proxy;
        try
        {
            proxy = DelayProxy.Start(new DelayProxyOptions
            {
                ListenPort = listen,
                TargetHost = host,
                TargetPort = port,
                OneWayDelay = TimeSpan.FromMilliseconds(rttMs / 2),
                Log = line => Console.Error.WriteLine(line),
            });
        }
        catch (SocketException e)
        {
            throw new CommandLineException($"could not listen on 127.0.0.1:{listen}: {e.Message}");
        }

        using (proxy)
        {
            Console.WriteLine($"delay proxy listening on {proxy.Endpoint}");
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"forwarding to {host}:{port} with a {rttMs} ms round trip ({rttMs / 2} ms each way); Ctrl-C stops"));
            stop.Token.WaitHandle.WaitOne();
            var s = proxy.Stats;
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{s.Connections} connections, {s.Chunks:N0} chunks, {s.Bytes:N0} bytes forwarded; each chunk held {s.MeanHeld.TotalMilliseconds:0.000} ms on average, " +
                $"{s.MaxHeld.TotalMilliseconds:0.000} ms at most ({rttMs / 2} ms asked)"));
        }

        return ExitCodes.Success;
    }
}
