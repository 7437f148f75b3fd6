using System.Diagnostics;
using Robotics.SimBridge.Client;
using Robotics.SimBridge.Security;
using Robotics.SimBridge.Server;

namespace Robotics.SimBridge.Hosting;

/// <summary>
/// A bridge on this machine's loopback that its owner starts and stops: in-process on a background thread
/// (tests, the embedded default) or as a child process running <c>robotics sim-bridge</c> or <c>robotics-sim-bridge</c>. Disposing stops it.
/// </summary>
public sealed class LocalBridge : IDisposable
{
    /// <summary>The first line a bridge program prints on stdout, followed by its endpoint.</summary>
    public const string ListeningPrefix = "sim-bridge listening on ";

    private readonly BridgeServer? server;
    private readonly Process? process;
    private bool disposed;

    private static int inProcessCount;

    private LocalBridge(string endpoint, BridgeServer? server, Process? process, string? inProcessEndpoint = null)
    {
        Endpoint = endpoint;
        InProcessEndpoint = inProcessEndpoint;
        this.server = server;
        this.process = process;
    }

    /// <summary>Where clients connect, e.g. tcp://127.0.0.1:40123.</summary>
    public string Endpoint { get; }

    /// <summary>
    /// For an in-process bridge, an inproc:// endpoint that clients in this process can use instead of
    /// <see cref="Endpoint"/>: no TCP and no NetMQ I/O threads, so a shorter round trip. Null for a child process.
    /// </summary>
    public string? InProcessEndpoint { get; }

    /// <summary>The child process's id; null for an in-process bridge.</summary>
    public int? ProcessId => process?.Id;

    /// <summary>Serves on a background thread of this process, on a free loopback port and on an inproc:// endpoint.</summary>
    public static LocalBridge StartInProcess(IBridgeEnvFactory factory, BridgeServerOptions? options = null, string bind = "tcp://127.0.0.1:0")
    {
        string inProcess = $"inproc://robotics-sim-bridge-{Environment.ProcessId}-{Interlocked.Increment(ref inProcessCount)}";
        options ??= new BridgeServerOptions();
        var server = new BridgeServer(factory, options with { AlsoBind = [.. options.AlsoBind, inProcess] });
        try
        {
            server.Start(bind);
            return new LocalBridge(server.Endpoint!, server, null, inProcess);
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs <c><paramref name="executable"/> [leadingArguments] sim-bridge --bind tcp://127.0.0.1:0 --stop-on-stdin-eof [extraArguments]</c>,
    /// reads the endpoint it bound from its first line, and waits until it answers a Hello.
    /// </summary>
    /// <param name="executable">The robotics program, e.g. <see cref="Environment.ProcessPath"/>; or "dotnet" with robotics.dll as a leading argument.</param>
    /// <param name="helloKeys">The keys to say Hello with, when <paramref name="extraArguments"/> give the bridge keys.</param>
    /// <param name="verb">The bridge verb after the leading arguments; null for the robotics-sim-bridge program, which is the verb itself.</param>
    public static LocalBridge StartProcess(
        string executable,
        IEnumerable<string>? leadingArguments = null,
        IEnumerable<string>? extraArguments = null,
        TimeSpan? startTimeout = null,
        Action<string>? log = null,
        CurveClientKeys? helloKeys = null,
        string? verb = "sim-bridge")
    {
        var timeout = startTimeout ?? TimeSpan.FromSeconds(30);
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment.TryAdd(BridgeSockets.InlineCompletionsVariable, "1");
        foreach (var argument in (leadingArguments ?? []).Concat(verb is null ? Array.Empty<string>() : new[] { verb }).Concat(["--bind", "tcp://127.0.0.1:0", "--stop-on-stdin-eof"]).Concat(extraArguments ?? []))
        {
            start.ArgumentList.Add(argument);
        }

        Process child;
        try
        {
            child = Process.Start(start) ?? throw new BridgeException($"could not start {executable}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new BridgeException($"could not start the bridge program {executable}: {e.Message}", e);
        }

        return Attach(child, executable, timeout, log, helloKeys);
    }

    /// <summary>
    /// Takes charge of a bridge program already started with stdin, stdout and stderr redirected and not yet read
    /// (e.g. one started inside another network namespace): reads the endpoint from its first line, waits until it
    /// answers a Hello, and stops it on <see cref="Dispose"/>. Kills it if it does not come up.
    /// </summary>
    /// <param name="executable">What was started, for error messages.</param>
    public static LocalBridge Attach(Process child, string executable, TimeSpan? startTimeout = null, Action<string>? log = null, CurveClientKeys? helloKeys = null)
    {
        var timeout = startTimeout ?? TimeSpan.FromSeconds(30);
        var stderr = new System.Text.StringBuilder();
        child.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }

            log?.Invoke(e.Data);
        };
        child.BeginErrorReadLine();

        var firstLine = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        child.OutputDataReceived += (_, e) =>
        {
            if (!firstLine.TrySetResult(e.Data) && e.Data is not null)
            {
                log?.Invoke(e.Data);
            }
        };
        child.BeginOutputReadLine();

        try
        {
            string endpoint = ReadEndpoint(firstLine.Task, child, timeout, executable, stderr);
            using (BridgeClient.Connect(endpoint, new BridgeClientOptions { Timeout = timeout, Keys = helloKeys }))
            {
            }

            return new LocalBridge(endpoint, null, child);
        }
        catch
        {
            Kill(child);
            child.Dispose();
            throw;
        }
    }

    private static string ReadEndpoint(Task<string?> firstLine, Process child, TimeSpan timeout, string executable, System.Text.StringBuilder stderr)
    {
        if (!firstLine.Wait(timeout) || firstLine.Result is not { } line)
        {
            if (child.WaitForExit(TimeSpan.FromMilliseconds(500)))
            {
                child.WaitForExit(); // returns once stderr has been read to its end
            }

            string errors;
            lock (stderr)
            {
                errors = stderr.ToString().Trim();
            }

            throw new BridgeException(
                $"the bridge program {executable} did not report its endpoint within {timeout.TotalSeconds:0.#} s" +
                (child.HasExited ? $" (it exited with code {child.ExitCode})" : "") +
                (errors.Length > 0 ? $": {errors}" : ""));
        }

        if (!line.StartsWith(ListeningPrefix, StringComparison.Ordinal))
        {
            throw new BridgeException($"the bridge program {executable} printed '{line}' where '{ListeningPrefix}ENDPOINT' was expected");
        }

        return line[ListeningPrefix.Length..].Trim();
    }

    /// <summary>Closes the child's stdin, which asks it to stop; kills it if it has not exited after a few seconds.</summary>
    private static void Stop(Process child)
    {
        try
        {
            child.StandardInput.Close();
            if (!child.WaitForExit(TimeSpan.FromSeconds(5)))
            {
                Kill(child);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static void Kill(Process child)
    {
        try
        {
            child.Kill(entireProcessTree: true);
            child.WaitForExit(TimeSpan.FromSeconds(5));
        }
        catch (InvalidOperationException)
        {
            // Already gone.
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
        server?.Dispose();
        if (process is not null)
        {
            Stop(process);
            process.Dispose();
        }
    }
}
