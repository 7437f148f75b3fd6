using CsCheck;
using MessagePack;
using Robotics.Contract.Environments;
using Robotics.SimBridge.Protocol;
using Robotics.SimBridge.Security;
using Robotics.SimBridge.Server;
using Robotics.SimBridge.Tests.Fakes;
using Robotics.Testing;

namespace Robotics.SimBridge.Tests.Fuzz;

/// <summary>
/// Random and damaged frames through the bridge's request handler (the code behind the socket) and through the
/// client's reply decoders, with a fixed seed and a bounded count: every request gets a well-formed reply, never an
/// internal error, and a damaged reply is a decoding error, never another exception.
/// </summary>
public sealed class BridgeDecodingFuzzTests : IDisposable
{
    private const int Inputs = 3000;
    private static readonly byte[] Identity = [1, 2, 3];
    private static readonly BridgeMessageType[] Requests =
    [
        BridgeMessageType.Hello, BridgeMessageType.Make, BridgeMessageType.Reset, BridgeMessageType.Step, BridgeMessageType.SetRandomization,
        BridgeMessageType.GetRandomization, BridgeMessageType.GetStats, BridgeMessageType.Close,
    ];

    private readonly BridgeRequestHandler handler = new(new ToyEnvFactory(), new BridgeServerOptions());

    [Fact]
    public void Random_frames_get_a_well_formed_reply()
    {
        FuzzInputs.Each(Gen.Byte.Array[0, 300], Inputs, frame => AssertAnswered(frame));
    }

    [Fact]
    public void Random_bodies_behind_every_request_header_get_a_well_formed_reply()
    {
        var frames = Gen.Select(Gen.Int[0, Requests.Length - 1], Gen.Byte.Array[0, 300]).Select((type, body) =>
        {
            var frame = new byte[BridgeFrameHeader.Size + body.Length];
            new BridgeFrameHeader(Requests[type], 9).WriteTo(frame);
            body.CopyTo(frame, BridgeFrameHeader.Size);
            return frame;
        });

        FuzzInputs.Each(frames, Inputs, frame => AssertAnswered(frame));
    }

    [Fact]
    public void Damaged_valid_requests_get_a_well_formed_reply()
    {
        handler.Handle(Identity, Frame(BridgeMessageType.Make, new MakeRequest { Task = "toy", NumEnvs = 2 }));
        handler.Handle(Identity, Frame(BridgeMessageType.Reset, new ResetRequest { Seed = 1 }));
        byte[][] valid =
        [
            Frame(BridgeMessageType.Hello, new HelloRequest { Client = "fuzz" }),
            Frame(BridgeMessageType.Make, new MakeRequest { Task = "toy", NumEnvs = 2 }),
            Frame(BridgeMessageType.Step, new StepRequest { Actions = FloatBytes.ToBytes(new float[4]) }),
            Frame(BridgeMessageType.SetRandomization, new SetRandomizationRequest { Yaml = "scale: [1, 2]" }),
        ];

        FuzzInputs.Each(Damaged(valid), Inputs, frame => AssertAnswered(frame));
    }

    [Fact]
    public void Damaged_Hellos_to_a_bridge_with_keys_get_a_well_formed_reply_and_authenticate_no_one()
    {
        var identity = Security.KnownKeys.Identity;
        var valid = new HelloRequest
        {
            ClientKey = Security.KnownKeys.Client.PublicKey,
            Proof = HelloProof.Create(Security.KnownKeys.Client, Security.KnownKeys.Bridge.PublicKey, identity, DateTimeOffset.UtcNow.ToUnixTimeSeconds()),
        };
        var options = new BridgeServerOptions { Keys = new CurveServerKeys(Security.KnownKeys.Bridge, [Security.KnownKeys.Client.PublicKey]) };

        FuzzInputs.Each(Damaged([Frame(BridgeMessageType.Hello, valid)]), Inputs, frame =>
        {
            using var keyed = new BridgeRequestHandler(new ToyEnvFactory(), options);
            var hello = keyed.Handle(identity, frame).ToArray();
            Assert.True(BridgeFrameHeader.TryRead(hello, out var helloHeader, out _));
            var make = keyed.Handle(identity, Frame(BridgeMessageType.Make, new MakeRequest { Task = "toy", NumEnvs = 1 })).ToArray();
            Assert.True(BridgeFrameHeader.TryRead(make, out var makeHeader, out _));
            if (helloHeader.Type == BridgeMessageType.HelloReply || makeHeader.Type != BridgeMessageType.Error)
            {
                // Only a change that leaves key and proof intact may pass (bytes after the MessagePack body, say).
                var decoded = MessagePackSerializer.Deserialize<HelloRequest>(frame.AsMemory(BridgeFrameHeader.Size), BridgeProtocol.Options);
                Assert.Equal(valid.ClientKey, decoded.ClientKey);
                Assert.Equal(valid.Proof, decoded.Proof);
            }
        });
    }

    [Fact]
    public void Damaged_step_and_reset_replies_fail_to_decode_as_malformed_only()
    {
        var step = new VectorStep(2, 3);
        var writer = new FrameBuffer();
        var stepWriter = writer.Begin(BridgeMessageType.StepReply, 1);
        StepCodec.WriteStepReply(ref stepWriter, step);
        stepWriter.Flush();
        byte[] stepBody = writer.Written[BridgeFrameHeader.Size..].ToArray();
        var resetWriter = writer.Begin(BridgeMessageType.ResetReply, 1);
        StepCodec.WriteResetReply(ref resetWriter, step);
        resetWriter.Flush();
        byte[] resetBody = writer.Written[BridgeFrameHeader.Size..].ToArray();

        FuzzInputs.Each(Damaged([stepBody, resetBody]), Inputs, body =>
        {
            var into = new VectorStep(2, 3);
            try
            {
                StepCodec.ReadStepReply(body, into, 0, 2);
                StepCodec.ReadResetReply(body, into, 0, 2);
            }
            catch (Exception e) when (e is MessagePackSerializationException or EndOfStreamException)
            {
                // A damaged reply is a decoding error, which the client reports as a bridge error.
            }
        });
    }

    /// <summary>Valid frames with one to four bytes changed, cut short, or grown by a few random bytes.</summary>
    private static Gen<byte[]> Damaged(byte[][] valid) =>
        Gen.Select(Gen.Int[0, valid.Length - 1], Gen.Int[0, 3], Gen.Int[0, 1 << 20].Array[1, 4], Gen.Byte.Array[1, 8]).Select((which, how, positions, bytes) =>
        {
            var frame = valid[which];
            switch (how)
            {
                case 0:
                    return frame[..(positions[0] % (frame.Length + 1))];
                case 1:
                    return [.. frame, .. bytes];
                default:
                    var changed = frame.ToArray();
                    for (int i = 0; i < positions.Length; i++)
                    {
                        changed[positions[i] % changed.Length] = bytes[i % bytes.Length];
                    }

                    return changed;
            }
        });

    private static byte[] Frame<T>(BridgeMessageType type, T body) => new FrameBuffer().Write(type, 5, body).ToArray();

    private void AssertAnswered(byte[] frame)
    {
        var reply = handler.Handle(Identity, frame).ToArray();
        Assert.True(BridgeFrameHeader.TryRead(reply, out var header, out var problem), problem);
        if (header.Type != BridgeMessageType.Error)
        {
            return;
        }

        var error = MessagePackSerializer.Deserialize<ErrorReply>(reply.AsMemory(BridgeFrameHeader.Size), BridgeProtocol.Options);
        Assert.NotEqual((int)BridgeErrorCode.Internal, error.Code);
        Assert.False(string.IsNullOrEmpty(error.Message));
        Assert.True(error.Message.Length < 2000, $"an error of {error.Message.Length} characters");
    }

    public void Dispose() => handler.Dispose();
}
