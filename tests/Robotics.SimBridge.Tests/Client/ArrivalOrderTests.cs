using Robotics.Contract.Environments;
using Robotics.SimBridge.Client;
using Robotics.SimBridge.Hosting;
using Robotics.SimBridge.Protocol;
using Robotics.SimBridge.Server;
using Robotics.SimBridge.Tests.Fakes;

namespace Robotics.SimBridge.Tests.Client;

/// <summary>
/// Groups of bridge environments taken in the order their replies arrive (<see cref="GroupedVectorEnv.ReceiveAnyStep"/>
/// with <see cref="MultiBridgeVectorEnv.WaitForAny"/>): a slow group does not hold up a quick one, and a dead bridge
/// still ends the wait with its own error.
/// </summary>
[Collection(BridgeCollection.Name)]
public sealed class ArrivalOrderTests
{
    private static readonly BridgeClientOptions Options = new() { Timeout = TimeSpan.FromSeconds(5), CloseTimeout = TimeSpan.FromMilliseconds(50) };

    [Fact]
    public void The_group_whose_reply_is_in_is_taken_first_and_its_rows_are_those_of_one_vector()
    {
        // Group 0 (3 environments) on a bridge that takes 400 ms a step, group 1 (2) on a quick one: group 1 is
        // sent last and comes back first, and after both the rows are what one in-process vector of 5 gives.
        using var slow = LocalBridge.StartInProcess(new SlowToyFactory(TimeSpan.FromMilliseconds(400)));
        using var quick = LocalBridge.StartInProcess(new ToyEnvFactory());
        using var grouped = new GroupedVectorEnv(
            [Open(slow, 3), Open(quick, 2)], MultiBridgeVectorEnv.WaitForAny);
        using var local = new ToyVectorEnv(5);
        var remote = new VectorStep(5, 3);
        var expected = new VectorStep(5, 3);
        grouped.Reset(7, remote);
        local.Reset(7, expected);
        var actions = Enumerable.Range(0, 10).Select(i => 0.1f * (i - 5)).ToArray();

        grouped.SendStep(0, actions.AsSpan(0, 6));
        grouped.SendStep(1, actions.AsSpan(6, 4));
        bool[] inFlight = [true, true];
        int firstIn = grouped.ReceiveAnyStep(inFlight, remote);
        inFlight[firstIn] = false;
        int secondIn = grouped.ReceiveAnyStep(inFlight, remote);
        local.Step(actions, expected);

        Assert.Equal((1, 0), (firstIn, secondIn));
        Assert.Equal(expected.Observations, remote.Observations);
        Assert.Equal(expected.Rewards, remote.Rewards);
    }

    [Fact]
    public void A_dead_bridge_ends_the_wait_for_any_group_with_its_error()
    {
        // Both groups are spread over both bridges, as training spreads them; the second bridge dies after the reset,
        // so no group can come in and the wait ends with that bridge's timeout.
        using var first = LocalBridge.StartInProcess(new ToyEnvFactory());
        var second = LocalBridge.StartInProcess(new ToyEnvFactory());
        var options = Options with { Timeout = TimeSpan.FromSeconds(1.5) };
        var make = new MakeRequest { Task = "toy", NumEnvs = 2 };
        using var grouped = new GroupedVectorEnv(
            [MultiBridgeVectorEnv.Open([first.Endpoint, second.Endpoint], make, options), MultiBridgeVectorEnv.Open([first.Endpoint, second.Endpoint], make, options)],
            MultiBridgeVectorEnv.WaitForAny);
        var step = new VectorStep(8, 3);
        grouped.Reset(0, step);
        second.Dispose();

        grouped.SendStep(0, new float[8]);
        grouped.SendStep(1, new float[8]);
        var error = Assert.Throws<BridgeException>(() => grouped.ReceiveAnyStep([true, true], step));

        Assert.True(error.TimedOut);
        Assert.Equal(second.Endpoint, error.Endpoint);
        Assert.Contains("did not answer Step within 1.5 s", error.Message);
    }

    [Fact]
    public void Without_a_waiter_the_lowest_group_in_flight_is_received()
    {
        using var bridge = LocalBridge.StartInProcess(new ToyEnvFactory());
        using var grouped = new GroupedVectorEnv([Open(bridge, 1), Open(bridge, 1)]);
        var step = new VectorStep(2, 3);
        grouped.Reset(0, step);
        grouped.SendStep(1, new float[2]);

        Assert.Equal(1, grouped.ReceiveAnyStep([false, true], step));
        Assert.Throws<InvalidOperationException>(() => grouped.ReceiveAnyStep([false, false], step));
    }

    private static MultiBridgeVectorEnv Open(LocalBridge bridge, int numEnvs) =>
        new([BridgeClient.Open(bridge.Endpoint, new MakeRequest { Task = "toy", NumEnvs = numEnvs }, Options)]);

    /// <summary>Serves the toy task with a pause before every step.</summary>
    private sealed class SlowToyFactory(TimeSpan pause) : IBridgeEnvFactory
    {
        public int Threads => 1;

        public IHostedEnv Create(MakeRequest request, int numEnvs) => new Hosted(new ToyVectorEnv(numEnvs), pause);

        private sealed class Hosted(ToyVectorEnv toy, TimeSpan pause) : IHostedEnv, IVectorEnv
        {
            public IVectorEnv Env => this;
            public IRandomizationControl? Randomization => null;
            public EnvSpec Spec => toy.Spec;
            public void Reset(int seed, VectorStep into) => toy.Reset(seed, into);

            public void Step(ReadOnlySpan<float> actions, VectorStep into)
            {
                Thread.Sleep(pause);
                toy.Step(actions, into);
            }

            public void Dispose() => toy.Dispose();
        }
    }
}
