using System.CommandLine;
using NetMQ;
using Robotics.Contract.CommandLine;
using Robotics.SimBridge.Hosting;
using Robotics.SimBridge.Security;
using Robotics.SimBridge.Server;
using Robotics.SimBridge.Tasks;

namespace Robotics.SimBridge.Host;

/// <summary>
/// Serves batches of MuJoCo environments over NetMQ until stopped: <c>robotics sim-bridge [options]</c> and
/// <c>robotics-sim-bridge [options]</c> are this one command, in the training command line and in the bridge-only program.
/// </summary>
public static class BridgeHostCommand
{
    public const string DefaultEndpoint = "tcp://127.0.0.1:5555";

    /// <summary>The bridge's user-facing errors: the common ones and its own (keys, task folders, binding), each one bare line and exit code 1.</summary>
    private static readonly UserErrors Errors = UserErrors.Common.With<BridgeException>();

    private const string Description = "Serve batches of simulated environments to trainers over NetMQ (see docs/sim-bridge-protocol.md and docs/bridge-hosts.md).";

    /// <summary>The <c>sim-bridge</c> verb of the robotics command line.</summary>
    public static Command Create() => Configure(new Command("sim-bridge", Description));

    /// <summary>The whole command line of robotics-sim-bridge: the same options, no verb.</summary>
    public static RootCommand CreateRoot() => Configure(new RootCommand("robotics-sim-bridge: " + Description));

    private static T Configure<T>(T command)
        where T : Command
    {
        var bind = new Option<string>("--bind")
        {
            Description = "endpoint to listen on: tcp://HOST:PORT (port 0 picks a free one) or ipc://PATH",
            DefaultValueFactory = _ => DefaultEndpoint,
        };
        var envs = new Option<int>("--envs")
        {
            Description = "environments per batch when a client asks for 0",
            DefaultValueFactory = _ => new BridgeServerOptions().DefaultNumEnvs,
        };
        var threads = new Option<int>("--threads")
        {
            Description = "threads that step a batch in parallel (default: one per core)",
            DefaultValueFactory = _ => Environment.ProcessorCount,
        };
        var stopOnStdinEof = new Option<bool>("--stop-on-stdin-eof")
        {
            Description = "stop when standard input closes, for a parent process that owns the bridge; Ctrl-C is then left to the parent, which stops the bridge after its last step (SIGTERM still stops it)",
        };
        var quiet = new Option<bool>("--quiet") { Description = "do not log connections and errors to stderr" };
        var tasks = new Option<string[]>("--tasks")
        {
            Description = "a folder of task .yaml files that clients may name (repeat for several); searched before the catalogue (the tasks/ folders along ROBOTICS_CONFIG_DIR, then the built-in configs/tasks)",
            AllowMultipleArgumentsPerToken = true,
        };
        var maxSessions = new Option<int>("--max-sessions")
        {
            Description = "clients served at once, each with its own batch; beyond it an idle one (1 min) is dropped, else the new client is refused",
            DefaultValueFactory = _ => new BridgeServerOptions().MaxSessions,
        };
        var maxFrameBytes = new Option<long>("--max-frame-bytes")
        {
            Description = "largest request frame accepted; a larger one is refused before it is read and its connection dropped",
            DefaultValueFactory = _ => new BridgeServerOptions().MaxFrameBytes,
        };
        var explainTaskErrors = new Option<bool>("--explain-task-errors")
        {
            Description = "send clients the loader's message when a served task cannot be made (it may quote the task's files); for a bridge that serves only its own user",
        };

        var curveKey = new Option<string?>("--curve-key")
        {
            Description = "this bridge's secret key file (from `robotics keys --out NAME`): traffic is encrypted with CURVE and only clients on --allow-clients are served",
        };
        var allowClients = new Option<string?>("--allow-clients")
        {
            Description = "file of the client public keys this bridge serves, one Z85 key per line (the clients' .pub lines; # starts a comment line)",
        };
        var insecure = new Option<bool>("--insecure")
        {
            Description = "allow binding beyond loopback without keys: INSECURE, anyone who reaches the port can use the bridge and read its traffic",
        };

        foreach (Option option in new Option[] { bind, envs, threads, stopOnStdinEof, quiet, tasks, maxSessions, maxFrameBytes, explainTaskErrors, curveKey, allowClients, insecure })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse => Errors.Run(null, () => Serve(
            parse.GetValue(bind)!,
            parse.GetValue(envs),
            parse.GetValue(threads),
            parse.GetValue(stopOnStdinEof),
            parse.GetValue(quiet),
            parse.GetValue(tasks) ?? [],
            parse.GetValue(maxSessions),
            parse.GetValue(maxFrameBytes),
            parse.GetValue(explainTaskErrors),
            parse.GetValue(curveKey),
            parse.GetValue(allowClients),
            parse.GetValue(insecure))));
        return command;
    }

    private static int Serve(string endpoint, int envs, int threads, bool stopOnStdinEof, bool quiet, string[] taskFolders, int maxSessions, long maxFrameBytes,
        bool explainTaskErrors, string? curveKey, string? allowClients, bool insecure)
    {
        var keys = LoadKeys(curveKey, allowClients);

        if (keys is null && !BindScope.IsLoopbackOnly(endpoint))
        {
            if (!insecure)
            {
                Console.Error.WriteLine(
                    $"--bind {endpoint} reaches beyond this machine, and without keys the bridge has no authentication or encryption: anyone who reaches the port could use it. " +
                    "Give it keys (--curve-key BRIDGE.key --allow-clients FILE, see `robotics keys`), bind tcp://127.0.0.1:PORT and tunnel to it (e.g. ssh -L), " +
                    "or add --insecure on a network you trust");
                return ExitCodes.Error;
            }

            Console.Error.WriteLine($"[sim-bridge] INSECURE: serving {endpoint} without authentication or encryption (--insecure)");
        }

        if (envs < 1 || threads < 1)
            throw new CommandLineException($"--envs ({envs}) and --threads ({threads}) must be at least 1");
        if (maxSessions is < 1 or > 1024)
            throw new CommandLineException($"--max-sessions ({maxSessions}) must be from 1 to 1024");
        if (maxFrameBytes < 1024)
            throw new CommandLineException($"--max-frame-bytes ({maxFrameBytes}) must be at least 1024");
        var served = ServedTasks.From(taskFolders);

        BridgeSockets.PreferInlineCompletions();
        BridgeSockets.PoolMessageBuffers();
        // A bridge that its parent owns shares the parent's process group, so a Ctrl-C in the terminal reaches it too;
        // stopping then would fail the step the parent is finishing before it saves.
        using var stop = new StopSignal(stopOnInterrupt: !stopOnStdinEof);
        if (stopOnStdinEof)
        {
            new Thread(() =>
            {
                while (Console.In.Read() >= 0)
                {
                }

                stop.Stop(); // does nothing once the bridge has stopped and given the signals back
            })
            { IsBackground = true, Name = "stdin watch" }.Start();
        }

        var options = new BridgeServerOptions
        {
            DefaultNumEnvs = envs,
            MaxSessions = maxSessions,
            MaxFrameBytes = maxFrameBytes,
            ExplainTaskErrors = explainTaskErrors,
            Keys = keys,
            Log = quiet ? null : line => Console.Error.WriteLine($"[sim-bridge] {line}"),
        };
        if (keys is not null && !quiet)
        {
            Console.Error.WriteLine($"[sim-bridge] CURVE: public key {keys.Bridge.PublicKeyZ85}, serving {keys.AllowedClients.Count} allowed client key(s)");
        }

        try
        {
            using (var server = new BridgeServer(new SimEnvFactory(threads, served), options))
            {
                server.Run(endpoint, bound => Console.WriteLine(LocalBridge.ListeningPrefix + bound), stop.Token);
            }

            if (!quiet)
            {
                Console.Error.WriteLine("[sim-bridge] stopped");
            }

            return ExitCodes.Success;
        }
        finally
        {
            NetMQConfig.Cleanup(block: false);
        }
    }

    /// <summary>Both key options or neither: a bridge with a key pair but no allow list would serve no one, and the reverse cannot encrypt.</summary>
    private static CurveServerKeys? LoadKeys(string? curveKey, string? allowClients)
    {
        if (curveKey is null && allowClients is null)
        {
            return null;
        }

        if (curveKey is null || allowClients is null)
        {
            throw new BridgeException(curveKey is null
                ? "--allow-clients needs --curve-key BRIDGE.key too (make a pair with `robotics keys --out BRIDGE`)"
                : "--curve-key needs --allow-clients FILE too: a file with the public key (.pub line) of every client to serve");
        }

        return new CurveServerKeys(KeyFiles.ReadSecret(curveKey, "--curve-key"), KeyFiles.ReadAllowList(allowClients));
    }
}
