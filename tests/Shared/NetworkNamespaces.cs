using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Robotics.Testing;

/// <summary>
/// Network namespaces for tests that run programs "on other hosts": each is a namespace of its own, joined to this
/// one by a veth pair with a private /30 (10.x.y.1 here, 10.x.y.2 inside), so that a program inside is reached at an
/// address that is not loopback. Needs root and iproute2's <c>ip</c>; where they are missing,
/// <see cref="Create"/> throws <see cref="NetworkNamespaceUnavailableException"/> saying what is needed.
/// </summary>
public static partial class NetworkNamespaces
{
    /// <summary>Every namespace made here is named rbt-PID-N: the test process that owns it, then a counter.</summary>
    public const string Prefix = "rbt-";

    private static readonly Lazy<string> Ip = new(FindIp);
    private static readonly Lazy<int> StaleRemoved = new(RemoveStale);
    private static readonly Lock Choosing = new();
    private static int counter;

    /// <summary>
    /// Makes a namespace with lo up and a veth pair to this namespace, both ends up and addressed. Removes first,
    /// once per test process, the namespaces that killed test runs left behind.
    /// </summary>
    /// <exception cref="NetworkNamespaceUnavailableException">Not root, no <c>ip</c>, or the kernel refused.</exception>
    public static NetworkNamespace Create()
    {
        CheckPrerequisites();
        _ = StaleRemoved.Value;

        string name = $"{Prefix}{Environment.ProcessId}-{Interlocked.Increment(ref counter)}";
        if (!TryIp(out string error, "netns", "add", name))
        {
            throw new NetworkNamespaceUnavailableException(
                $"network namespaces cannot be made here: `ip netns add {name}` failed: {error}. " +
                "These tests need root (or CAP_SYS_ADMIN and CAP_NET_ADMIN) and a kernel with network namespaces and veth.");
        }

        try
        {
            lock (Choosing)
            {
                var (hostAddress, address) = FreeSubnet();

                // The root end takes the namespace's name (unique, and at most 15 characters as an interface name
                // must be); the end inside is eth0, as on a host.
                RunIp("link", "add", name, "type", "veth", "peer", "name", "eth0", "netns", name);
                RunIp("addr", "add", $"{hostAddress}/30", "dev", name);
                RunIp("link", "set", name, "up");
                RunIp("-n", name, "addr", "add", $"{address}/30", "dev", "eth0");
                RunIp("-n", name, "link", "set", "eth0", "up");
                RunIp("-n", name, "link", "set", "lo", "up");
                return new NetworkNamespace(name, address, hostAddress);
            }
        }
        catch
        {
            Delete(name);
            throw;
        }
    }

    /// <summary>
    /// Deletes the rbt-* namespaces whose test process no longer exists, killing what still runs inside them.
    /// Returns how many it deleted.
    /// </summary>
    public static int RemoveStale()
    {
        CheckPrerequisites();
        int removed = 0;
        foreach (string line in RunIp("netns", "list").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var match = StaleName().Match(line);
            if (!match.Success || ProcessExists(int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture)))
            {
                continue;
            }

            string name = match.Groups[1].Value;
            if (TryIp(out string pids, "netns", "pids", name))
            {
                foreach (string pid in pids.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    KillLeftover(int.Parse(pid, CultureInfo.InvariantCulture));
                }
            }

            Delete(name);
            removed++;
        }

        return removed;
    }

    /// <summary>Deletes a namespace and the veth pair into it; quietly, as either may be gone already.</summary>
    internal static void Delete(string name)
    {
        TryIp(out _, "link", "delete", name);
        TryIp(out _, "netns", "delete", name);
    }

    /// <summary>Runs <c>ip ARGS</c> and returns its standard output; throws with its error output if it fails.</summary>
    internal static string RunIp(params string[] arguments)
    {
        var (exitCode, stdout, stderr) = Run(Ip.Value, arguments);
        return exitCode == 0
            ? stdout
            : throw new NetworkNamespaceUnavailableException($"network namespaces cannot be set up here: `ip {string.Join(' ', arguments)}` failed: {stderr.Trim()}");
    }

    internal static string IpPath => Ip.Value;

    private static bool TryIp(out string output, params string[] arguments)
    {
        var (exitCode, stdout, stderr) = Run(Ip.Value, arguments);
        output = exitCode == 0 ? stdout : stderr.Trim();
        return exitCode == 0;
    }

    private static void CheckPrerequisites()
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new NetworkNamespaceUnavailableException("network namespaces cannot be made here: they are Linux only, and these tests need them.");
        }

        if (!Environment.IsPrivilegedProcess)
        {
            throw new NetworkNamespaceUnavailableException(
                $"network namespaces cannot be made here: this test process runs as user {Environment.UserName}, not root. " +
                "Run these tests as root (or with CAP_SYS_ADMIN and CAP_NET_ADMIN); they also need iproute2's `ip`.");
        }

        _ = Ip.Value;
    }

    private static string FindIp()
    {
        var folders = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(["/usr/sbin", "/sbin", "/usr/bin", "/bin"]);
        return folders.Select(folder => Path.Combine(folder, "ip")).FirstOrDefault(File.Exists)
            ?? throw new NetworkNamespaceUnavailableException(
                "network namespaces cannot be made here: iproute2's `ip` is not installed (apt-get install iproute2). These tests also need root.");
    }

    /// <summary>
    /// A 10.x.y.0/30 that no address or route of this host overlaps, starting from a place that depends on the
    /// process id so that two test processes at once do not try the same one first.
    /// </summary>
    private static (string Host, string Inside) FreeSubnet()
    {
        var taken = Networks(RunIp("-4", "-o", "addr", "show")).Concat(Networks(RunIp("-4", "route", "show"))).ToList();
        const int candidates = 50 * 256;
        int start = (Environment.ProcessId * 16 + counter) % candidates;
        for (int i = 0; i < candidates; i++)
        {
            int k = (start + i) % candidates;
            uint subnet = (10u << 24) | ((uint)(200 + k / 256) << 16) | ((uint)(k % 256) << 8);
            if (!taken.Any(n => Overlaps(n.Network, n.Mask, subnet, 0xFFFFFFFCu)))
            {
                return (Format(subnet + 1), Format(subnet + 2));
            }
        }

        throw new NetworkNamespaceUnavailableException("network namespaces cannot be set up here: every 10.200-249.y.0/30 is in use");
    }

    /// <summary>The IPv4 networks (address/prefix, or a bare address as /32) named in ip's output; "default" is not one.</summary>
    private static IEnumerable<(uint Network, uint Mask)> Networks(string ipOutput)
    {
        foreach (Match m in Cidr().Matches(ipOutput))
        {
            if (!IPAddress.TryParse(m.Groups[1].Value, out var address))
            {
                continue;
            }

            int prefix = m.Groups[2].Success ? int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) : 32;
            uint mask = prefix == 0 ? 0 : uint.MaxValue << (32 - prefix);
            byte[] b = address.GetAddressBytes();
            uint value = ((uint)b[0] << 24) | ((uint)b[1] << 16) | ((uint)b[2] << 8) | b[3];
            yield return (value & mask, mask);
        }
    }

    private static bool Overlaps(uint a, uint maskA, uint b, uint maskB)
    {
        uint mask = maskA & maskB; // the shorter prefix
        return (a & mask) == (b & mask);
    }

    private static string Format(uint address) => new IPAddress([(byte)(address >> 24), (byte)(address >> 16), (byte)(address >> 8), (byte)address]).ToString();

    private static bool ProcessExists(int pid) => Directory.Exists($"/proc/{pid}");

    private static void KillLeftover(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill(entireProcessTree: true);
            process.WaitForExit(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // already gone
        }
    }

    private static (int ExitCode, string Stdout, string Stderr) Run(string fileName, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromSeconds(20)))
        {
            process.Kill();
            throw new TimeoutException($"ip {string.Join(' ', arguments)} did not finish within 20 s");
        }

        return (process.ExitCode, stdout, stderr.GetAwaiter().GetResult());
    }

    [GeneratedRegex(@"^(rbt-(\d+)-\d+)\b")]
    private static partial Regex StaleName();

    [GeneratedRegex(@"(?<![\d.])(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})(?:/(\d{1,2}))?(?![\d.])")]
    private static partial Regex Cidr();
}

/// <summary>
/// A network namespace from <see cref="NetworkNamespaces.Create"/>. Disposing kills the processes started in it and
/// deletes it, which removes its veth pair.
/// </summary>
public sealed class NetworkNamespace : IDisposable
{
    private readonly List<Process> processes = [];
    private bool disposed;

    internal NetworkNamespace(string name, string address, string hostAddress)
    {
        Name = name;
        Address = address;
        HostAddress = hostAddress;
    }

    /// <summary>The namespace's name, rbt-PID-N.</summary>
    public string Name { get; }

    /// <summary>Its address inside (10.x.y.2), reached from this namespace over the veth pair.</summary>
    public string Address { get; }

    /// <summary>This namespace's end of the pair (10.x.y.1), which programs inside reach this one at.</summary>
    public string HostAddress { get; }

    /// <summary>
    /// Starts <c>ip netns exec NAME FILE ARGUMENTS</c>: the program runs inside (ip execs it, so the process is the
    /// program itself). <paramref name="configure"/> sets redirection, environment and working folder. Disposing
    /// this namespace kills it; the caller owns the returned object and disposes it.
    /// </summary>
    public Process Start(string fileName, IEnumerable<string> arguments, Action<ProcessStartInfo>? configure = null)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var start = new ProcessStartInfo(NetworkNamespaces.IpPath) { UseShellExecute = false };
        foreach (string argument in new[] { "netns", "exec", Name, fileName }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        configure?.Invoke(start);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {fileName} in {Name}");
        lock (processes)
        {
            processes.Add(process);
        }

        return process;
    }

    public void Dispose()
    {
        Process[] started;
        lock (processes)
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
            started = [.. processes];
        }

        foreach (var process in started)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(TimeSpan.FromSeconds(5));
                }
            }
            catch (InvalidOperationException)
            {
                // exited meanwhile, or its owner disposed it after stopping it
            }
        }

        NetworkNamespaces.Delete(Name);
    }

    public override string ToString() => $"{Name} ({Address})";
}

/// <summary>Network namespaces cannot be made on this machine; the message says why and what is needed.</summary>
public sealed class NetworkNamespaceUnavailableException(string message) : Exception(message);
