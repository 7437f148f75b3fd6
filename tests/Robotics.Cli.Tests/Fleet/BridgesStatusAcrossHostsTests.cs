using System.Diagnostics;
using System.Text.Json;
using NetMQ;
using Xunit.Abstractions;

namespace Robotics.Cli.Tests.Fleet;

/// <summary>
/// <c>robotics bridges status</c> against bridges on "other hosts": each in a network namespace of its own, reached at
/// a 10.x.y.2 address over a veth pair. Needs root; without it the test fails saying so.
/// </summary>
[Collection(NetMqCollection.Name)]
public sealed class BridgesStatusAcrossHostsTests(ITestOutputHelper output) : IDisposable
{
    [Fact]
    public void Status_reports_both_bridges_and_then_the_killed_one_as_not_answering()
    {
        var clock = Stopwatch.StartNew();
        using var first = NamespacedBridge.Start();
        using var second = NamespacedBridge.Start();
        Assert.StartsWith("tcp://10.", first.Endpoint);
        Assert.NotEqual(first.Host.Address, second.Host.Address);

        var (bothExit, both) = Status(first.Endpoint, second.Endpoint);

        Assert.Equal(0, bothExit);
        Assert.Equal([first.Endpoint, second.Endpoint], both.Select(b => b.Endpoint));
        Assert.All(both, b => Assert.True(b.Answering, $"{b.Endpoint} did not answer"));

        second.Kill();
        var (afterExit, after) = Status(first.Endpoint, second.Endpoint);

        Assert.Equal(1, afterExit);
        Assert.Equal([(first.Endpoint, true), (second.Endpoint, false)], after.Select(b => (b.Endpoint, b.Answering)));
        output.WriteLine($"two namespaced bridges started, asked, one killed and asked again in {clock.Elapsed.TotalSeconds:0.0} s");
    }

    public void Dispose() => NetMQConfig.Cleanup(block: false);

    private (int ExitCode, List<(string Endpoint, bool Answering)> Bridges) Status(params string[] endpoints)
    {
        var result = RoboticsProcess.Run(Repository.Root, null, ["bridges", "status", .. endpoints, "--json", "--timeout", "1"]);
        output.WriteLine(result.ToString());
        var bridges = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Select(json => (json.GetProperty("endpoint").GetString()!, json.GetProperty("answering").GetBoolean()))
            .ToList();
        return (result.ExitCode, bridges);
    }
}
