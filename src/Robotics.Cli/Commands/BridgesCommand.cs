using System.CommandLine;
using System.Globalization;
using Robotics.Contract.CommandLine;
using Robotics.SimBridge;
using Robotics.SimBridge.Client;
using Robotics.SimBridge.Protocol;
using Robotics.SimBridge.Security;

namespace Robotics.Cli.Commands;

/// <summary>
/// <c>robotics bridges status ENDPOINT...</c>: what each bridge of a fleet is and does, from its Hello and GetStats
/// replies: program and protocol version, sessions in use of its limit, environment steps and their rate, episodes,
/// errors sent, uptime. A bridge that does not answer is reported as such, and the exit code says whether all did.
/// </summary>
internal static class BridgesCommand
{
    public static Command Create()
    {
        var endpoints = new Argument<string[]>("endpoints") { Description = "bridge endpoints, e.g. tcp://10.0.0.2:5555", Arity = ArgumentArity.OneOrMore };
        var timeout = new Option<double>("--timeout") { Description = "seconds to wait for each bridge's answer", DefaultValueFactory = _ => 3 };
        var json = JsonOutput.Option("one JSON object per bridge, one per line");
        var bridgeKey = new Option<string?>("--bridge-key")
        {
            Description = "for bridges started with keys (they answer nothing else): their public key, 40 Z85 characters or their .pub file",
        };
        var clientKey = new Option<string?>("--client-key")
        {
            Description = "with --bridge-key: this host's secret key file (from `robotics keys`), whose public key the bridges allow",
        };
        var status = new Command("status", "Ask each bridge who it is and what it has done: version, sessions, steps and steps/s, episodes, errors, uptime.")
        {
            endpoints, timeout, json, bridgeKey, clientKey,
        };
        status.SetAction(parse => CliErrors.Known.Run(null, () =>
            Status(parse.GetValue(endpoints)!, parse.GetValue(timeout), parse.GetValue(json), parse.GetValue(bridgeKey), parse.GetValue(clientKey))));
        return new Command("bridges", "Look at running sim bridges.") { status };
    }

    private static int Status(string[] endpoints, double timeoutSeconds, bool json, string? bridgeKey, string? clientKey)
    {
        if (!(timeoutSeconds > 0))
        {
            throw new CommandLineException($"--timeout ({timeoutSeconds}) must be a positive number of seconds");
        }

        if (bridgeKey is null != clientKey is null)
        {
            throw new CommandLineException(bridgeKey is null
                ? "--client-key needs --bridge-key too: the bridges' public key or .pub file"
                : "--bridge-key needs --client-key too: this host's secret key file, whose public key the bridges allow");
        }

        var keys = bridgeKey is null ? null : new CurveClientKeys(KeyFiles.ReadPublic(bridgeKey, "--bridge-key"), KeyFiles.ReadSecret(clientKey!, "--client-key"));

        var options = new BridgeClientOptions
        {
            Timeout = TimeSpan.FromSeconds(timeoutSeconds),
            CloseTimeout = TimeSpan.FromMilliseconds(100),
            ClientName = $"bridges status, pid {Environment.ProcessId}",
            Keys = keys,
        };
        int silent = 0;
        foreach (var endpoint in endpoints)
        {
            var report = Ask(endpoint, options);
            if (report.Error is not null) silent++;
            Console.WriteLine(json ? JsonOutput.Line(report.ToJson()) : report.ToText());
        }

        return silent == 0 ? ExitCodes.Success : ExitCodes.Error;
    }

    private static BridgeReport Ask(string endpoint, BridgeClientOptions options)
    {
        try
        {
            using var client = BridgeClient.Connect(endpoint, options);
            var hello = client.Hello();
            var stats = client.GetStats();
            return new BridgeReport(endpoint, hello, stats, null);
        }
        catch (Exception e) when (e is BridgeException or ArgumentException or NetMQ.NetMQException)
        {
            return new BridgeReport(endpoint, null, null, e.Message);
        }
    }

    private sealed record BridgeReport(string Endpoint, HelloReply? Hello, StatsReply? Stats, string? Error)
    {
        // Steps per second of wall-clock since the bridge started, and of the time inside the environments' step
        // (what the bridge could serve with no messaging around it).
        private double WallRate => Stats is { UptimeSeconds: > 0 } s ? s.BridgeEnvSteps / s.UptimeSeconds : 0;
        private double SteppingRate => Stats is { BridgeStepSeconds: > 0 } s ? s.BridgeEnvSteps / s.BridgeStepSeconds : 0;

        public string ToText()
        {
            if (Error is not null) return $"{Endpoint}  NOT ANSWERING: {Error}";
            var (h, s) = (Hello!, Stats!);
            return string.Create(CultureInfo.InvariantCulture,
                $"{Endpoint}  {h.Bridge}, protocol {h.ProtocolVersion}, {h.Threads} threads, up {Uptime(s.UptimeSeconds)}\n" +
                $"    sessions {s.Sessions} of {s.MaxSessions}; {s.BridgeEnvSteps:N0} env steps ({WallRate:F0}/s since start, {SteppingRate:F0}/s while stepping); {s.BridgeEpisodes:N0} episodes; {s.Errors} error replies");
        }

        public Dictionary<string, object?> ToJson() => Error is not null
            ? new() { ["endpoint"] = Endpoint, ["answering"] = false, ["error"] = Error }
            : new()
            {
                ["endpoint"] = Endpoint,
                ["answering"] = true,
                ["bridge"] = Hello!.Bridge,
                ["protocol"] = Hello.ProtocolVersion,
                ["threads"] = Hello.Threads,
                ["uptime_seconds"] = Stats!.UptimeSeconds,
                ["sessions"] = Stats.Sessions,
                ["max_sessions"] = Stats.MaxSessions,
                ["env_steps"] = Stats.BridgeEnvSteps,
                ["env_steps_per_second"] = WallRate,
                ["stepping_env_steps_per_second"] = SteppingRate,
                ["episodes"] = Stats.BridgeEpisodes,
                ["errors"] = Stats.Errors,
            };

        private static string Uptime(double seconds) => TimeSpan.FromSeconds(Math.Round(seconds)).ToString(seconds >= 86400 ? @"d\.hh\:mm\:ss" : @"hh\:mm\:ss", CultureInfo.InvariantCulture);
    }
}
