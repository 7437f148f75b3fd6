using System.Buffers.Binary;
using System.Text.Json.Nodes;
using NetMQ;
using NetMQ.Sockets;
using Robotics.SimBridge.Hosting;
using Robotics.SimBridge.Protocol;
using Robotics.SimBridge.Server;

namespace Robotics.SimBridge.Tests.Conformance;

/// <summary>
/// Every example of docs/sim-bridge-protocol.md, sent to a bridge serving the real cartpole: each reply must be the one
/// the document shows, field by field. Observations and other float32 arrays agree to 1e-4 (MuJoCo built elsewhere
/// may round differently); everything else exactly, but the values the document leaves out (…).
/// </summary>
[Collection(BridgeCollection.Name)]
public sealed class ProtocolDocumentTests
{
    private static readonly Dictionary<BridgeMessageType, int[]> FloatArrays = new()
    {
        [BridgeMessageType.SpecReply] = [4, 5],
        [BridgeMessageType.ResetReply] = [0],
        [BridgeMessageType.StepReply] = [0, 1, 5],
    };

    [Fact]
    public void Every_example_in_the_protocol_document_is_what_the_bridge_answers()
    {
        var exchanges = ProtocolDocument.Exchanges();
        Assert.True(exchanges.Count >= 10, $"{ProtocolDocument.Name} should show at least 10 exchanges in ```frames blocks, found {exchanges.Count}");

        // The worked example's bridge: `robotics sim-bridge --threads 1`, with the built-in task catalogue.
        using var bridge = LocalBridge.StartInProcess(new SimEnvFactory(threads: 1));
        using var dealer = new DealerSocket();
        dealer.Options.Linger = TimeSpan.Zero;
        dealer.Connect(bridge.Endpoint);
        string? contractJson = null;
        foreach (var exchange in exchanges)
        {
            string where = $"{ProtocolDocument.Name} line {exchange.Line}";
            byte[] reply = Replay(dealer, exchange, where);
            Assert.True(exchange.Reply.Length >= BridgeFrameHeader.Size, $"{where}: the reply shows no header");
            Assert.True(reply.Length >= BridgeFrameHeader.Size, $"{where}: the bridge's reply has no header");
            Assert.True(exchange.Reply.AsSpan(0, BridgeFrameHeader.Size).SequenceEqual(reply.AsSpan(0, BridgeFrameHeader.Size)),
                $"{where}: header {Convert.ToHexStringLower(exchange.Reply[..BridgeFrameHeader.Size])}, the bridge sent {Convert.ToHexStringLower(reply[..BridgeFrameHeader.Size])}");

            var type = (BridgeMessageType)reply[0];
            var expected = PackNode.Decode(exchange.Reply[BridgeFrameHeader.Size..], exchange.Unshown.Select(u => u - BridgeFrameHeader.Size).ToList());
            var actual = PackNode.Decode(reply[BridgeFrameHeader.Size..]);
            Compare(expected, actual, $"{where}, {type}", FloatArrays.GetValueOrDefault(type, []));
            if (type == BridgeMessageType.SpecReply && actual is PackNode.Array { Items: [.., PackNode.Str json, _, _, _] })
            {
                contractJson = json.Value;
            }
        }

        Assert.True(contractJson is not null, "the document's examples should make a batch (SpecReply)");
        var shown = JsonNode.Parse(ProtocolDocument.Block("json contract"));
        Assert.True(JsonNode.DeepEquals(shown, JsonNode.Parse(contractJson)),
            $"the ```json contract block of {ProtocolDocument.Name} differs from the bridge's contract_json:\n{contractJson}");
    }

    [Fact]
    public void The_frames_notation_reads_hex_text_unshown_values_and_repeats()
    {
        var exchanges = ProtocolDocument.Parse("""
            ```frames
            → ×3 04 000000 05000000  91 c4 00   # Step, sent 3 times
            ← 84 000000 07000000  92 a2 "ok"  # "#" inside text is not a comment
                 …
            ```
            ```
            → 01 not a frame
            ```
            """);

        var only = Assert.Single(exchanges);
        Assert.Equal((3, "0400000005000000" + "91c400"), (only.Repeat, Convert.ToHexStringLower(only.Request)));
        Assert.Equal("8400000007000000" + "92a2" + "6f6b", Convert.ToHexStringLower(only.Reply));
        Assert.Equal([12], only.Unshown);
    }

    private static byte[] Replay(DealerSocket dealer, Exchange exchange, string where)
    {
        uint firstId = BridgeFrameHeader.RequestIdOf(exchange.Request) ?? 0;
        byte[] frame = exchange.Request.ToArray();
        byte[]? reply = null;
        for (int k = 0; k < exchange.Repeat; k++)
        {
            if (frame.Length >= BridgeFrameHeader.Size)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(4), firstId + (uint)k);
            }

            Assert.True(dealer.TrySendFrame(TimeSpan.FromSeconds(30), frame), $"{where}: the bridge did not take the request");
            Assert.True(dealer.TryReceiveFrameBytes(TimeSpan.FromSeconds(30), out reply), $"{where}: the bridge did not answer");
            Assert.True(k == exchange.Repeat - 1 || reply![0] == exchange.Reply[0],
                $"{where}: repeat {k + 1} of {exchange.Repeat} got a reply of type 0x{reply![0]:x2}, not 0x{exchange.Reply[0]:x2}");
        }

        return reply!;
    }

    private static void Compare(PackNode expected, PackNode actual, string path, int[] floatFields)
    {
        switch (expected, actual)
        {
            case (PackNode.Unshown, _):
                return;
            case (PackNode.Array e, PackNode.Array a):
                Assert.True(e.Items.Count == a.Items.Count, $"{path}: {e.Items.Count} elements shown, the bridge sent {a.Items.Count}");
                for (int i = 0; i < e.Items.Count; i++)
                {
                    if (floatFields.Contains(i) && e.Items[i] is PackNode.Bin eb && a.Items[i] is PackNode.Bin ab)
                    {
                        CompareFloats(eb.Bytes, ab.Bytes, $"{path}[{i}]");
                    }
                    else
                    {
                        Compare(e.Items[i], a.Items[i], $"{path}[{i}]", []);
                    }
                }

                return;
            case (PackNode.Map e, PackNode.Map a):
                Assert.True(e.Entries.Count == a.Entries.Count, $"{path}: {e.Entries.Count} entries shown, the bridge sent {a.Entries.Count}");
                for (int i = 0; i < e.Entries.Count; i++)
                {
                    Compare(e.Entries[i].Key, a.Entries[i].Key, $"{path} key {i}", []);
                    Compare(e.Entries[i].Value, a.Entries[i].Value, $"{path}[{e.Entries[i].Key}]", []);
                }

                return;
            case (PackNode.Float e, PackNode.Float a):
                Assert.True(Math.Abs(e.Value - a.Value) <= 1e-9 * Math.Max(1, Math.Abs(e.Value)), $"{path}: {e.Value} shown, the bridge sent {a.Value}");
                return;
            case (PackNode.Bin e, PackNode.Bin a):
                Assert.True(e.Bytes.AsSpan().SequenceEqual(a.Bytes), $"{path}: bin {Convert.ToHexStringLower(e.Bytes)} shown, the bridge sent {Convert.ToHexStringLower(a.Bytes)}");
                return;
            default:
                Assert.True(expected == actual, $"{path}: {expected} shown, the bridge sent {actual}");
                return;
        }
    }

    private static void CompareFloats(byte[] expected, byte[] actual, string path)
    {
        Assert.True(expected.Length == actual.Length, $"{path}: {expected.Length} bytes shown, the bridge sent {actual.Length}");
        var e = FloatBytes.View(expected);
        var a = FloatBytes.View(actual);
        for (int i = 0; i < e.Length; i++)
        {
            Assert.True(Math.Abs(e[i] - a[i]) <= 1e-4f * Math.Max(1f, Math.Abs(e[i])), $"{path} float {i}: {e[i]} shown, the bridge sent {a[i]}");
        }
    }
}
