using MessagePack;
using Robotics.Contract.Environments;
using Robotics.SimBridge.Protocol;

namespace Robotics.SimBridge.Tests.Protocol;

public sealed class ProtocolCodecTests
{
    private static T RoundTrip<T>(T message) =>
        MessagePackSerializer.Deserialize<T>(MessagePackSerializer.Serialize(message, BridgeProtocol.Options), BridgeProtocol.Options);

    [Fact]
    public void Every_record_survives_a_round_trip()
    {
        var hello = RoundTrip(new HelloRequest { ProtocolVersion = 7, Client = "trainer" });
        Assert.Equal((7, "trainer"), (hello.ProtocolVersion, hello.Client));

        var helloReply = RoundTrip(new HelloReply { Bridge = "b", DefaultNumEnvs = 4, Threads = 2 });
        Assert.Equal((BridgeProtocol.Version, "b", 4, 2), (helloReply.ProtocolVersion, helloReply.Bridge, helloReply.DefaultNumEnvs, helloReply.Threads));

        var make = RoundTrip(new MakeRequest { Task = "cartpole-balance", NumEnvs = 64, Randomize = false });
        Assert.Equal(("cartpole-balance", 64, false), (make.Task, make.NumEnvs, make.Randomize));

        var spec = RoundTrip(new SpecReply
        {
            NumEnvs = 2, ObservationSize = 3, ActionSize = 1, ActionLow = FloatBytes.ToBytes([-2f]), ActionHigh = FloatBytes.ToBytes([2f]),
            ContractJson = "{}", ControlDt = 0.02, MaxEpisodeSteps = 500,
        });
        Assert.Equal((2, 3, 1, "{}", 0.02, 500), (spec.NumEnvs, spec.ObservationSize, spec.ActionSize, spec.ContractJson, spec.ControlDt, spec.MaxEpisodeSteps));
        Assert.Equal([-2f], FloatBytes.ToFloats(spec.ActionLow));
        Assert.Equal([2f], FloatBytes.ToFloats(spec.ActionHigh));

        Assert.Equal(-3, RoundTrip(new ResetRequest { Seed = -3 }).Seed);
        Assert.Equal([1f, 2f], FloatBytes.ToFloats(RoundTrip(new ResetReply { Observations = FloatBytes.ToBytes([1f, 2f]) }).Observations));
        Assert.Equal([0.5f], FloatBytes.ToFloats(RoundTrip(new StepRequest { Actions = FloatBytes.ToBytes([0.5f]) }).Actions));

        var step = RoundTrip(new StepReply
        {
            Observations = FloatBytes.ToBytes([1f, 2f]), Rewards = FloatBytes.ToBytes([3f]), Terminated = [1], Truncated = [0],
            FinalEnvs = [0], FinalObservations = FloatBytes.ToBytes([4f, 5f]),
            Episodes = [new EpisodeWire { Env = 0, Return = 1.5, Length = 3, Terminated = true, Stats = new() { ["reward/alive"] = 3 } }], PhysicsResets = 1,
        });
        Assert.Equal([0], step.FinalEnvs);
        Assert.Equal([4f, 5f], FloatBytes.ToFloats(step.FinalObservations));
        Assert.Equal((0, 1.5, 3, true, false), (step.Episodes[0].Env, step.Episodes[0].Return, step.Episodes[0].Length, step.Episodes[0].Terminated, step.Episodes[0].Truncated));
        Assert.Equal(3, step.Episodes[0].Stats!["reward/alive"]);
        Assert.Equal(1, step.PhysicsResets);

        Assert.Equal("a: 1", RoundTrip(new SetRandomizationRequest { Yaml = "a: 1" }).Yaml);
        Assert.Equal("a: 2", RoundTrip(new SetRandomizationReply { Yaml = "a: 2" }).Yaml);
        var randomization = RoundTrip(new RandomizationReply { Yaml = "y", Samples = [new() { ["mass"] = 1.25 }] });
        Assert.Equal(1.25, randomization.Samples[0]["mass"]);

        var stats = RoundTrip(new StatsReply { BatchSteps = 1, EnvSteps = 64, Episodes = 2, PhysicsResets = 3, StepSeconds = 0.5, Errors = 4, UptimeSeconds = 9, Sessions = 1 });
        Assert.Equal((1L, 64L, 2L, 3L, 0.5, 4L, 9.0, 1), (stats.BatchSteps, stats.EnvSteps, stats.Episodes, stats.PhysicsResets, stats.StepSeconds, stats.Errors, stats.UptimeSeconds, stats.Sessions));

        var error = RoundTrip(new ErrorReply { Code = (int)BridgeErrorCode.BadShape, Message = "m" });
        Assert.Equal((7, "m"), (error.Code, error.Message));

        // The bodies docs/sim-bridge-protocol.md gives as "an empty array": MessagePack's fixarray of length 0. A field
        // added to one of them (a mutation checked by applying it: 0x91 0x00) changes these bytes for every client.
        byte[] emptyArray = [0x90];
        Assert.Equal(emptyArray, MessagePackSerializer.Serialize(new GetRandomizationRequest(), BridgeProtocol.Options));
        Assert.Equal(emptyArray, MessagePackSerializer.Serialize(new GetStatsRequest(), BridgeProtocol.Options));
        Assert.Equal(emptyArray, MessagePackSerializer.Serialize(new CloseRequest(), BridgeProtocol.Options));
        Assert.Equal(emptyArray, MessagePackSerializer.Serialize(new CloseReply(), BridgeProtocol.Options));
    }

    [Fact]
    public void Empty_requests_are_an_empty_array()
    {
        Assert.Equal([0x90], MessagePackSerializer.Serialize(new CloseRequest(), BridgeProtocol.Options));
    }

    [Fact]
    public void Step_codec_writes_the_bytes_the_serializer_writes()
    {
        var actions = new[] { 0.25f, -1f, 3.5f, 0f };
        var codec = new FrameBuffer();
        var writer = codec.Begin(BridgeMessageType.Step, 1);
        StepCodec.WriteStepRequest(ref writer, actions);
        writer.Flush();
        var expected = MessagePackSerializer.Serialize(new StepRequest { Actions = FloatBytes.ToBytes(actions) }, BridgeProtocol.Options);
        Assert.Equal(expected, codec.Written[BridgeFrameHeader.Size..].ToArray());

        var step = SampleStep();
        writer = codec.Begin(BridgeMessageType.StepReply, 2);
        StepCodec.WriteStepReply(ref writer, step);
        writer.Flush();
        var record = new StepReply
        {
            Observations = FloatBytes.ToBytes(step.Observations), Rewards = FloatBytes.ToBytes(step.Rewards),
            Terminated = [0, 1, 0], Truncated = [0, 0, 1], FinalEnvs = [1, 2],
            FinalObservations = FloatBytes.ToBytes([.. step.FinalObservationOf(1), .. step.FinalObservationOf(2)]),
            Episodes =
            [
                new EpisodeWire { Env = 1, Return = 2.5, Length = 7, Terminated = true, Stats = new() { ["reward/alive"] = 7, ["final/distance"] = 0.25 } },
                new EpisodeWire { Env = 2, Return = -1, Length = 500, Truncated = true },
            ],
            PhysicsResets = 1,
        };
        Assert.Equal(MessagePackSerializer.Serialize(record, BridgeProtocol.Options), codec.Written[BridgeFrameHeader.Size..].ToArray());
    }

    [Fact]
    public void Step_codec_reads_a_reply_into_rows_at_an_offset()
    {
        var sent = SampleStep();
        var codec = new FrameBuffer();
        var writer = codec.Begin(BridgeMessageType.StepReply, 2);
        StepCodec.WriteStepReply(ref writer, sent);
        writer.Flush();

        var received = new VectorStep(5, 2);
        StepCodec.ReadStepReply(codec.Written[BridgeFrameHeader.Size..].ToArray(), received, envOffset: 2, envs: 3);

        Assert.Equal(sent.Observations, received.Observations[4..]);
        Assert.Equal(sent.Rewards, received.Rewards[2..]);
        Assert.Equal([false, false, false, true, false], received.Terminated);
        Assert.Equal([false, false, false, false, true], received.Truncated);
        Assert.Equal(sent.FinalObservationOf(1).ToArray(), received.FinalObservationOf(3).ToArray());
        Assert.Equal(sent.FinalObservationOf(2).ToArray(), received.FinalObservationOf(4).ToArray());
        EpisodeAssert.Same(
            [new EpisodeRecord(3, 2.5, 7, true, false) { Stats = sent.Episodes[0].Stats }, new EpisodeRecord(4, -1, 500, false, true)],
            received.Episodes);
        Assert.Null(received.Episodes[1].Stats);
        Assert.Equal(1, received.PhysicsResets);
    }

    [Fact]
    public void Step_codec_rejects_a_reply_of_the_wrong_size()
    {
        var codec = new FrameBuffer();
        var writer = codec.Begin(BridgeMessageType.StepReply, 2);
        StepCodec.WriteStepReply(ref writer, SampleStep());
        writer.Flush();

        var tooSmall = new VectorStep(2, 2);
        Assert.Throws<MessagePackSerializationException>(
            () => StepCodec.ReadStepReply(codec.Written[BridgeFrameHeader.Size..].ToArray(), tooSmall, 0, 2));
    }

    [Theory]
    [InlineData(0xFFFFFFF0u)] // negative as an int: once a stack allocation of 16 GiB, and a stack overflow no catch could stop
    [InlineData(2u)]          // more finished environments than the batch holds
    public void Step_codec_refuses_a_count_of_finished_environments_outside_the_batch(uint finished)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteArrayHeader(8);
        writer.Write(new byte[4]);  // observations: 1 env x 1 float32
        writer.Write(new byte[4]);  // rewards
        writer.Write(new byte[1]);  // terminated
        writer.Write(new byte[1]);  // truncated
        writer.WriteArrayHeader(finished);
        for (uint k = 0; k < Math.Min(finished, 8u); k++) writer.Write(0);  // enough elements for the reader to take the count
        writer.Flush();

        var error = Assert.Throws<MessagePackSerializationException>(() => StepCodec.ReadStepReply(buffer.WrittenMemory, new VectorStep(1, 1), 0, 1));
        Assert.Contains("finished environments", error.Message);
    }

    [Fact]
    public void A_count_too_large_for_its_field_is_a_malformed_reply_not_an_overflow()
    {
        // physics_resets as 2^32 - 1: MessagePack's reader throws OverflowException for it, which the codec reports
        // as the malformed message it is (a fuzz input found it).
        var sent = SampleStep();  // [3 envs, 2 observations]
        var body = MessagePackSerializer.Serialize(new object[]
        {
            FloatBytes.ToBytes(sent.Observations), FloatBytes.ToBytes(sent.Rewards), new byte[3], new byte[3],
            Array.Empty<int>(), Array.Empty<byte>(), Array.Empty<object>(), uint.MaxValue,
        }, BridgeProtocol.Options);

        var error = Assert.Throws<MessagePackSerializationException>(() => StepCodec.ReadStepReply(body, new VectorStep(3, 2), 0, 3));
        Assert.Contains("out of range", error.Message);
    }

    [Fact]
    public void Frame_header_is_type_reserved_and_little_endian_id()
    {
        var bytes = new byte[BridgeFrameHeader.Size];
        new BridgeFrameHeader(BridgeMessageType.Step, 0x01020304).WriteTo(bytes);
        Assert.Equal(new byte[] { 0x04, 0, 0, 0, 0x04, 0x03, 0x02, 0x01 }, bytes);
        Assert.True(BridgeFrameHeader.TryRead(bytes, out var header, out _));
        Assert.Equal(new BridgeFrameHeader(BridgeMessageType.Step, 0x01020304), header);
        Assert.False(BridgeFrameHeader.TryRead(bytes.AsSpan(0, 7), out _, out var problem));
        Assert.Contains("shorter", problem);
    }

    private static VectorStep SampleStep()
    {
        var step = new VectorStep(3, 2);
        for (int i = 0; i < step.Observations.Length; i++)
        {
            step.Observations[i] = i * 0.5f;
            step.FinalObservations[i] = 100 + i;
        }

        step.Rewards[0] = 1;
        step.Rewards[1] = -2;
        step.Rewards[2] = 0.125f;
        step.Terminated[1] = true;
        step.Truncated[2] = true;
        step.Episodes.Add(new EpisodeRecord(1, 2.5, 7, true, false) { Stats = new Dictionary<string, double> { ["reward/alive"] = 7, ["final/distance"] = 0.25 } });
        step.Episodes.Add(new EpisodeRecord(2, -1, 500, false, true));
        step.PhysicsResets = 1;
        return step;
    }
}
