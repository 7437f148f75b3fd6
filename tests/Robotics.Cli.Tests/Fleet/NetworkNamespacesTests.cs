using System.Diagnostics;
using Robotics.Testing;

namespace Robotics.Cli.Tests.Fleet;

/// <summary>The network namespaces that fleet tests run bridges in: made, joined, and cleaned up after. Needs root.</summary>
public sealed class NetworkNamespacesTests
{
    [Fact]
    public void A_namespace_has_its_own_address_pair_and_disposing_it_removes_it_with_its_veth_and_processes()
    {
        Process started;
        string name;
        using (var host = NetworkNamespaces.Create())
        {
            name = host.Name;
            Assert.Matches($@"^rbt-{Environment.ProcessId}-\d+$", name);
            Assert.Matches(@"^10\.\d+\.\d+\.2$", host.Address);
            Assert.Equal(host.Address[..^1] + "1", host.HostAddress);
            Assert.Contains($"inet {host.Address}/30", NetworkNamespaces.RunIp("-n", name, "-4", "addr", "show", "dev", "eth0"));
            Assert.Contains($"inet {host.HostAddress}/30", NetworkNamespaces.RunIp("-4", "addr", "show", "dev", name));
            Assert.Contains("state UP", NetworkNamespaces.RunIp("-n", name, "link", "show", "dev", "eth0"));
            Assert.Contains("LOOPBACK,UP", NetworkNamespaces.RunIp("-n", name, "link", "show", "dev", "lo"));

            started = host.Start("sleep", ["60"]);
            Assert.False(started.WaitForExit(TimeSpan.FromMilliseconds(100)));
        }

        using (started)
        {
            Assert.True(started.HasExited, "the process started inside outlived its namespace");
        }

        Assert.DoesNotContain(name, Namespaces());
        Assert.DoesNotContain($" {name}:", NetworkNamespaces.RunIp("-o", "link", "show"));
    }

    [Fact]
    public void Two_namespaces_get_different_subnets()
    {
        using var a = NetworkNamespaces.Create();
        using var b = NetworkNamespaces.Create();

        Assert.NotEqual(a.Name, b.Name);
        Assert.NotEqual(a.Address[..a.Address.LastIndexOf('.')], b.Address[..b.Address.LastIndexOf('.')]);
    }

    [Fact]
    public void A_namespace_left_by_a_test_process_that_is_gone_is_removed_with_what_runs_in_it()
    {
        int deadPid = DeadProcessId();
        string stale = $"rbt-{deadPid}-1";
        using var live = NetworkNamespaces.Create();
        NetworkNamespaces.RunIp("netns", "add", stale);
        using var leftover = Process.Start(new ProcessStartInfo(NetworkNamespaces.IpPath, ["netns", "exec", stale, "sleep", "60"]))!;
        try
        {
            Assert.True(SpinWait.SpinUntil(() => NetworkNamespaces.RunIp("netns", "pids", stale).Trim().Length > 0, TimeSpan.FromSeconds(5)),
                "the process never entered the stale namespace");

            int removed = NetworkNamespaces.RemoveStale();

            Assert.True(removed >= 1);
            Assert.DoesNotContain(stale, Namespaces());
            Assert.Contains(live.Name, Namespaces());
            Assert.True(leftover.WaitForExit(TimeSpan.FromSeconds(5)), "what ran in the stale namespace is still running");
        }
        finally
        {
            leftover.Kill();
            NetworkNamespaces.Delete(stale);
        }
    }

    private static List<string> Namespaces() =>
        [.. NetworkNamespaces.RunIp("netns", "list").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(' ')[0])];

    /// <summary>The id of a process that has just exited, and so belongs to no test process.</summary>
    private static int DeadProcessId()
    {
        using var process = Process.Start(new ProcessStartInfo("true"))!;
        process.WaitForExit();
        return process.Id;
    }
}
