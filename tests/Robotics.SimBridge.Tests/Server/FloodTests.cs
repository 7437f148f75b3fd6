using Robotics.Contract.Environments;
using Robotics.SimBridge.Client;
using Robotics.SimBridge.Hosting;
using Robotics.SimBridge.Protocol;
using Robotics.SimBridge.Tests.Fakes;

namespace Robotics.SimBridge.Tests.Server;

/// <summary>
/// Four clients stepping one bridge as fast as they can, each on its own thread: every step is answered, each client
/// sees exactly its own environments (the same numbers as a local vector stepped alone), and the bridge counts them all.
/// </summary>
[Collection(BridgeCollection.Name)]
public sealed class FloodTests
{
    private const int Clients = 4;
    private const int StepsEach = 2_500;

    [Fact]
    public void Four_clients_flooding_one_bridge_get_all_10000_steps_answered_and_only_their_own()
    {
        using var bridge = LocalBridge.StartInProcess(new ToyEnvFactory());
        var options = new BridgeClientOptions { Timeout = TimeSpan.FromSeconds(30) };
        var answered = new int[Clients];
        var mismatches = new int[Clients];
        var failures = new System.Collections.Concurrent.ConcurrentBag<Exception>();

        var threads = Enumerable.Range(0, Clients).Select(c => new Thread(() =>
        {
            try
            {
                Flood(c);
            }
            catch (Exception e)
            {
                failures.Add(e);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => Assert.True(t.Join(TimeSpan.FromMinutes(3)), "a client did not finish within 3 minutes"));

        Assert.Empty(failures);
        Assert.Equal(Clients * StepsEach, answered.Sum());
        Assert.Equal(new int[Clients], mismatches);
        using var watcher = BridgeClient.Connect(bridge.Endpoint, options);
        var stats = watcher.GetStats();
        Assert.Equal(StepsEach * (1 + 2 + 3 + 4), stats.BridgeEnvSteps);
        Assert.Equal(0, stats.Errors);

        void Flood(int c)
        {
            int envs = c + 1;
            using var remote = BridgeClient.Open(bridge.Endpoint, new MakeRequest { Task = "toy", NumEnvs = envs }, options);
            using var local = new ToyVectorEnv(envs);
            var remoteStep = new VectorStep(envs, 3);
            var localStep = new VectorStep(envs, 3);
            remote.Reset(100 * c, remoteStep);
            local.Reset(100 * c, localStep);
            var random = new Random(c);
            var actions = new float[envs * 2];
            for (int t = 0; t < StepsEach; t++)
            {
                for (int i = 0; i < actions.Length; i++) actions[i] = (float)(random.NextDouble() - 0.5);
                remote.Step(actions, remoteStep);
                local.Step(actions, localStep);
                answered[c]++;
                if (!remoteStep.Observations.AsSpan().SequenceEqual(localStep.Observations) || !remoteStep.Rewards.AsSpan().SequenceEqual(localStep.Rewards))
                    mismatches[c]++;
            }
        }
    }
}
