using Robotics.Contract.Environments;
using Robotics.SimBridge.Client;
using Robotics.SimBridge.Hosting;
using Robotics.SimBridge.Protocol;
using Robotics.SimBridge.Tests.Fakes;

namespace Robotics.SimBridge.Tests.Server;

/// <summary>Whatever a client sends, the bridge answers with an error naming the problem and keeps serving.</summary>
[Collection(BridgeCollection.Name)]
public sealed class BadInputTests : IDisposable
{
    private readonly LocalBridge bridge = LocalBridge.StartInProcess(new ToyEnvFactory());
    private readonly BridgeClient client;
    private readonly RawDealer raw;

    public BadInputTests()
    {
        client = BridgeClient.Open(bridge.Endpoint, new MakeRequest { Task = "toy", NumEnvs = 3 }, new BridgeClientOptions { Timeout = TimeSpan.FromSeconds(5) });
        raw = new RawDealer(bridge.Endpoint);
    }

    [Fact]
    public void Random_bytes_get_error_replies_and_the_bridge_keeps_serving()
    {
        var random = new Random(1234);
        for (int i = 0; i < 200; i++)
        {
            var frame = new byte[random.Next(0, 64)];
            random.NextBytes(frame);
            var reply = raw.Send(frame);
            Assert.Equal(BridgeMessageType.Error, reply.Header.Type);
            Assert.NotEqual("", reply.Message);
        }

        AssertStillServing();
    }

    [Fact]
    public void Random_bodies_behind_valid_headers_get_error_replies_or_valid_answers()
    {
        var random = new Random(99);
        var types = new[] { BridgeMessageType.Hello, BridgeMessageType.Make, BridgeMessageType.Reset, BridgeMessageType.Step, BridgeMessageType.SetRandomization };
        for (int i = 0; i < 200; i++)
        {
            var frame = new byte[BridgeFrameHeader.Size + random.Next(0, 40)];
            random.NextBytes(frame);
            new BridgeFrameHeader(types[i % types.Length], 7).WriteTo(frame);
            var reply = raw.Send(frame);
            // A random body rarely decodes; when it does the bridge answers normally, otherwise with an error.
            Assert.True(reply.Header.Type is BridgeMessageType.Error || reply.Header.Type == BridgeMessageTypes.ReplyTo(types[i % types.Length]));
            Assert.Equal(7u, reply.Header.RequestId);
        }

        AssertStillServing();
    }

    [Fact]
    public void Truncated_step_frames_are_malformed()
    {
        raw.Request(BridgeMessageType.Make, new MakeRequest { Task = "toy", NumEnvs = 3 });
        var full = new FrameBuffer().Write(BridgeMessageType.Step, 5, new StepRequest { Actions = FloatBytes.ToBytes(new float[6]) }).ToArray();
        for (int length = 0; length < full.Length; length++)
        {
            var reply = raw.Send(full[..length]);
            var expected = length < BridgeFrameHeader.Size ? BridgeErrorCode.MalformedFrame : BridgeErrorCode.MalformedBody;
            Assert.True(expected == reply.Error, $"length {length}: expected {expected}, got {reply.Error}: {reply.Message}");
        }

        AssertStillServing();
    }

    [Fact]
    public void Unknown_message_type_is_named_in_the_error()
    {
        var frame = new byte[BridgeFrameHeader.Size + 1];
        new BridgeFrameHeader((BridgeMessageType)0x42, 1).WriteTo(frame);
        frame[^1] = 0x90;

        var reply = raw.Send(frame);

        Assert.Equal(BridgeErrorCode.UnknownMessageType, reply.Error);
        Assert.Contains("0x42", reply.Message);
        AssertStillServing();
    }

    [Fact]
    public void Reserved_header_bytes_must_be_zero_and_the_error_carries_the_request_id()
    {
        var frame = new FrameBuffer().Write(BridgeMessageType.Hello, 41, new HelloRequest()).ToArray();
        frame[2] = 1;

        var reply = raw.Send(frame);

        Assert.Equal(BridgeErrorCode.MalformedFrame, reply.Error);
        Assert.Equal(41u, reply.Header.RequestId);
    }

    [Fact]
    public void A_request_in_several_frames_is_malformed_and_the_error_carries_the_first_frames_id()
    {
        var frame = new FrameBuffer().Write(BridgeMessageType.Hello, 42, new HelloRequest()).ToArray();

        var reply = raw.SendParts([frame, frame]);

        Assert.Equal(BridgeErrorCode.MalformedFrame, reply.Error);
        Assert.Equal(42u, reply.Header.RequestId);
        Assert.Equal(1, client.GetStats().Errors);
        AssertStillServing();
    }

    [Fact]
    public void Only_a_frame_shorter_than_the_header_gets_request_id_zero()
    {
        var reply = raw.Send([0x01, 0, 0, 0, 43, 0, 0]);
        Assert.Equal(BridgeErrorCode.MalformedFrame, reply.Error);
        Assert.Equal(0u, reply.Header.RequestId);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(5)]
    public void A_string_where_actions_are_expected_is_a_malformed_body(int length)
    {
        raw.Request(BridgeMessageType.Make, new MakeRequest { Task = "toy", NumEnvs = 1 });
        raw.Request(BridgeMessageType.Reset, new ResetRequest());
        var frame = new FrameBuffer().Write(BridgeMessageType.Step, 44, new[] { new string('a', length) }).ToArray();

        var reply = raw.Send(frame);

        Assert.Equal(BridgeErrorCode.MalformedBody, reply.Error);
        Assert.Contains("expected bin, got str", reply.Message);
        Assert.Equal(44u, reply.Header.RequestId);
    }

    [Fact]
    public void Nan_actions_are_refused_naming_the_env_and_action()
    {
        client.Reset(0, new VectorStep(3, 3));
        var actions = new float[6];
        actions[3] = float.NaN;

        var error = Assert.Throws<BridgeException>(() => client.Step(actions, new VectorStep(3, 3)));

        Assert.Equal(BridgeErrorCode.NonFiniteActions, error.Code);
        Assert.Contains("action 1 of env 1 is NaN", error.Message);
        AssertStillServing();
    }

    [Fact]
    public void Infinite_actions_are_refused()
    {
        client.Reset(0, new VectorStep(3, 3));
        var actions = new float[6];
        actions[0] = float.PositiveInfinity;
        Assert.Equal(BridgeErrorCode.NonFiniteActions, Assert.Throws<BridgeException>(() => client.Step(actions, new VectorStep(3, 3))).Code);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(7)]
    [InlineData(0)]
    public void Wrong_number_of_actions_is_refused_with_the_expected_shape(int count)
    {
        var reply = raw.Request(BridgeMessageType.Make, new MakeRequest { Task = "toy", NumEnvs = 3 });
        Assert.Equal(BridgeMessageType.SpecReply, reply.Header.Type);
        raw.Request(BridgeMessageType.Reset, new ResetRequest());

        reply = raw.Request(BridgeMessageType.Step, new StepRequest { Actions = FloatBytes.ToBytes(new float[count]) });

        Assert.Equal(BridgeErrorCode.BadShape, reply.Error);
        Assert.Contains("3 envs × 2 actions = 6 float32", reply.Message);
        AssertStillServing();
    }

    [Fact]
    public void Action_bytes_that_are_not_whole_floats_are_refused()
    {
        raw.Request(BridgeMessageType.Make, new MakeRequest { Task = "toy", NumEnvs = 1 });
        var reply = raw.Request(BridgeMessageType.Step, new StepRequest { Actions = new byte[7] });
        Assert.Equal(BridgeErrorCode.BadShape, reply.Error);
    }

    [Fact]
    public void Step_before_make_is_refused()
    {
        var reply = raw.Request(BridgeMessageType.Step, new StepRequest { Actions = FloatBytes.ToBytes(new float[6]) });
        Assert.Equal(BridgeErrorCode.NotMade, reply.Error);
        Assert.Contains("send Make first", reply.Message);
    }

    [Fact]
    public void Step_before_reset_is_refused()
    {
        raw.Request(BridgeMessageType.Make, new MakeRequest { Task = "toy", NumEnvs = 1 });
        var reply = raw.Request(BridgeMessageType.Step, new StepRequest { Actions = FloatBytes.ToBytes(new float[2]) });
        Assert.Equal(BridgeErrorCode.NotReset, reply.Error);
    }

    [Fact]
    public void Too_many_envs_are_refused()
    {
        var reply = raw.Request(BridgeMessageType.Make, new MakeRequest { Task = "toy", NumEnvs = 1_000_000 });
        Assert.Equal(BridgeErrorCode.ConfigError, reply.Error);
        Assert.Contains("outside 1..4096", reply.Message);
    }

    [Fact]
    public void Wrong_action_count_is_caught_by_the_client_before_sending()
    {
        Assert.Throws<ActionBatchException>(() => client.Step(new float[5], new VectorStep(3, 3)));
    }

    private void AssertStillServing()
    {
        var step = new VectorStep(3, 3);
        client.Reset(1, step);
        client.Step(new float[6], step);
        Assert.Equal(3, client.GetStats().Sessions >= 1 ? 3 : 0);
    }

    public void Dispose()
    {
        raw.Dispose();
        client.Dispose();
        bridge.Dispose();
    }
}
