using NetMQ;
using NetMQ.Sockets;
using Robotics.SimBridge.Client;
using Robotics.SimBridge.Hosting;
using Robotics.SimBridge.Protocol;
using Xunit.Abstractions;

namespace Robotics.Cli.Tests;

/// <summary>
/// A <c>robotics sim-bridge</c> process flooded with frames far above its maximum frame size keeps its memory: the
/// socket refuses each frame from its length header, before allocating it, and the bridge keeps answering.
/// </summary>
[Collection(NetMqCollection.Name)]
public sealed class BridgeMemoryBoundTests(ITestOutputHelper output)
{
    private const int FrameBytes = 50 << 20;
    private const int Frames = 30;
    private const long AllowedGrowthBytes = 64 << 20;

    [Fact]
    public void Thirty_50_MB_frames_leave_the_bridge_process_memory_bounded()
    {
        using var bridge = LocalBridge.StartProcess(Path.Combine(AppContext.BaseDirectory, "robotics"), extraArguments: ["--threads", "1"]);
        var frame = new byte[FrameBytes];
        new BridgeFrameHeader(BridgeMessageType.Hello, 1).WriteTo(frame);
        SendOversized(bridge.Endpoint, frame, 2); // the first drops warm up NetMQ's error path
        long before = ResidentBytes(bridge.ProcessId!.Value);

        SendOversized(bridge.Endpoint, frame, Frames);
        using (var client = BridgeClient.Connect(bridge.Endpoint, new BridgeClientOptions { Timeout = TimeSpan.FromSeconds(10) }))
        {
            Assert.NotEmpty(client.Hello().Bridge);
        }

        long after = ResidentBytes(bridge.ProcessId!.Value);
        output.WriteLine($"bridge resident memory {before >> 20} MiB before, {after >> 20} MiB after {Frames} frames of {FrameBytes >> 20} MiB");
        Assert.True(after - before < AllowedGrowthBytes,
            $"the bridge grew from {before >> 20} MiB to {after >> 20} MiB after {Frames} frames of {FrameBytes >> 20} MiB");
    }

    /// <summary>Each frame on a connection of its own: the bridge drops a connection that sent a frame above its maximum.</summary>
    private static void SendOversized(string endpoint, byte[] frame, int count)
    {
        for (int i = 0; i < count; i++)
        {
            using var dealer = new DealerSocket();
            dealer.Options.Linger = TimeSpan.FromSeconds(5); // let the frame leave before the socket closes
            dealer.Connect(endpoint);
            Assert.True(dealer.TrySendFrame(TimeSpan.FromSeconds(10), frame), "the frame could not be queued");
            Assert.False(dealer.TryReceiveFrameBytes(TimeSpan.FromMilliseconds(200), out _), "a frame above the maximum must not be answered");
        }
    }

    private static long ResidentBytes(int processId)
    {
        foreach (string line in File.ReadLines($"/proc/{processId}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException($"/proc/{processId}/status has no VmRSS line");
    }
}
