using MessagePack;
using Robotics.Contract.Environments;
using Robotics.SimBridge.Protocol;

namespace Robotics.SimBridge.Tests.Protocol;

/// <summary>
/// Critic observations on the wire: appended fields of ResetReply (1) and StepReply (8, 9), written as the
/// serializer writes them, read into rows at an offset, and optional for a client that does not use them.
/// </summary>
public sealed class CriticObservationCodecTests
{
    [Fact]
    public void Step_and_reset_replies_carry_the_critic_observations_as_the_serializer_writes_them()
    {
        var step = SampleStep();
        var codec = new FrameBuffer();
        var writer = codec.Begin(BridgeMessageType.StepReply, 2);
        StepCodec.WriteStepReply(ref writer, step);
        writer.Flush();
        var record = new StepReply
        {
            Observations = FloatBytes.ToBytes(step.Observations), Rewards = FloatBytes.ToBytes(step.Rewards),
            Terminated = [0, 1, 0], Truncated = [0, 0, 0], FinalEnvs = [1],
            FinalObservations = FloatBytes.ToBytes(step.FinalObservationOf(1).ToArray()),
            Episodes = [new EpisodeWire { Env = 1, Return = 2.5, Length = 7, Terminated = true }],
            CriticObservations = FloatBytes.ToBytes(step.CriticObservations),
            FinalCriticObservations = FloatBytes.ToBytes(step.FinalCriticObservationOf(1).ToArray()),
        };
        Assert.Equal(MessagePackSerializer.Serialize(record, BridgeProtocol.Options), codec.Written[BridgeFrameHeader.Size..].ToArray());

        writer = codec.Begin(BridgeMessageType.ResetReply, 3);
        StepCodec.WriteResetReply(ref writer, step);
        writer.Flush();
        var reset = new ResetReply { Observations = FloatBytes.ToBytes(step.Observations), CriticObservations = FloatBytes.ToBytes(step.CriticObservations) };
        Assert.Equal(MessagePackSerializer.Serialize(reset, BridgeProtocol.Options), codec.Written[BridgeFrameHeader.Size..].ToArray());
    }

    [Fact]
    public void Critic_observations_are_read_into_their_rows_at_an_offset()
    {
        var sent = SampleStep();
        var received = new VectorStep(5, 2, 3);
        StepCodec.ReadStepReply(StepReplyBytes(sent), received, envOffset: 2, envs: 3);

        Assert.Equal(sent.CriticObservations, received.CriticObservations[6..]);
        Assert.Equal(sent.FinalCriticObservationOf(1).ToArray(), received.FinalCriticObservationOf(3).ToArray());
        Assert.Equal(sent.Observations, received.Observations[4..]);

        var reset = new VectorStep(5, 2, 3);
        StepCodec.ReadResetReply(ResetReplyBytes(sent), reset, envOffset: 2, envs: 3);
        Assert.Equal(sent.CriticObservations, reset.CriticObservations[6..]);
    }

    [Fact]
    public void A_reply_without_critic_observations_serves_a_client_that_needs_none_and_is_refused_where_one_does()
    {
        // What a bridge from before critic observations sends: StepReply fields 0 to 7, ResetReply field 0.
        var sent = SampleStep();
        var old = MessagePackSerializer.Serialize(new object[]
        {
            FloatBytes.ToBytes(sent.Observations), FloatBytes.ToBytes(sent.Rewards), new byte[] { 0, 1, 0 }, new byte[] { 0, 0, 0 },
            new[] { 1 }, FloatBytes.ToBytes(sent.FinalObservationOf(1).ToArray()), Array.Empty<object>(), 0,
        }, BridgeProtocol.Options);

        var plain = new VectorStep(3, 2);
        StepCodec.ReadStepReply(old, plain, 0, 3);
        Assert.Equal(sent.Observations, plain.Observations);

        var error = Assert.Throws<MessagePackSerializationException>(() => StepCodec.ReadStepReply(old, new VectorStep(3, 2, 3), 0, 3));
        Assert.Contains("expected 10", error.Message);
        var oldReset = MessagePackSerializer.Serialize(new object[] { FloatBytes.ToBytes(sent.Observations) }, BridgeProtocol.Options);
        var resetError = Assert.Throws<MessagePackSerializationException>(() => StepCodec.ReadResetReply(oldReset, new VectorStep(3, 2, 3), 0, 3));
        Assert.Contains("no critic observations", resetError.Message);
    }

    [Fact]
    public void A_reply_whose_critic_observations_have_the_wrong_size_is_refused()
    {
        var error = Assert.Throws<MessagePackSerializationException>(() => StepCodec.ReadStepReply(StepReplyBytes(SampleStep()), new VectorStep(3, 2, 2), 0, 3));
        Assert.Contains("critic observations", error.Message);
    }

    private static byte[] StepReplyBytes(VectorStep step)
    {
        var codec = new FrameBuffer();
        var writer = codec.Begin(BridgeMessageType.StepReply, 2);
        StepCodec.WriteStepReply(ref writer, step);
        writer.Flush();
        return codec.Written[BridgeFrameHeader.Size..].ToArray();
    }

    private static byte[] ResetReplyBytes(VectorStep step)
    {
        var codec = new FrameBuffer();
        var writer = codec.Begin(BridgeMessageType.ResetReply, 2);
        StepCodec.WriteResetReply(ref writer, step);
        writer.Flush();
        return codec.Written[BridgeFrameHeader.Size..].ToArray();
    }

    private static VectorStep SampleStep()
    {
        var step = new VectorStep(3, 2, 3);
        for (int i = 0; i < step.Observations.Length; i++) step.Observations[i] = i * 0.5f;
        for (int i = 0; i < step.CriticObservations.Length; i++)
        {
            step.CriticObservations[i] = -i;
            step.FinalCriticObservations[i] = 200 + i;
        }

        step.FinalObservationOf(1).Fill(7);
        step.Rewards[0] = 1;
        step.Terminated[1] = true;
        step.Episodes.Add(new EpisodeRecord(1, 2.5, 7, true, false));
        return step;
    }
}
