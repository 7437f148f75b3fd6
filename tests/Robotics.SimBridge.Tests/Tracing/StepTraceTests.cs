using Robotics.Contract.Environments;
using Robotics.SimBridge.Client;
using Robotics.SimBridge.Hosting;
using Robotics.SimBridge.Protocol;
using Robotics.SimBridge.Tests.Fakes;
using Robotics.SimBridge.Tracing;

namespace Robotics.SimBridge.Tests.Tracing;

[Collection(BridgeCollection.Name)]
public sealed class StepTraceTests
{
    [Fact]
    public void Both_ends_of_every_step_are_written_and_join_in_time_order()
    {
        var lines = Traced(numEnvs: 3, (client, step, actions) =>
        {
            client.Reset(1, step);
            for (int i = 0; i < 20; i++) client.Step(actions, step);
        });

        Assert.Equal(StepTrace.Header, lines[0]);
        Assert.Equal(20, lines.Count(l => l.StartsWith("client,", StringComparison.Ordinal)));
        Assert.Equal(20, lines.Count(l => l.StartsWith("bridge,", StringComparison.Ordinal)));

        // One process is both ends here: its file is the trainer's and the bridge's.
        var analysis = StepTraceAnalysis.Analyze(lines, [lines]);
        Assert.NotNull(analysis);
        Assert.Equal(20, analysis.Requests);
        Assert.All(new[] { analysis.ToBridge, analysis.BeforeStep, analysis.Step, analysis.AfterStep, analysis.ClientWait, analysis.Cycle }, v => Assert.True(v >= 0, $"{v}"));
        Assert.InRange(analysis.BridgeBusyShare, 0, 1);
    }

    [Fact]
    public void A_refused_step_leaves_no_row_at_either_end()
    {
        var lines = Traced(numEnvs: 2, (client, step, actions) =>
        {
            Assert.Throws<BridgeException>(() => client.Step(actions, step)); // before Reset: refused, nothing stepped
            client.Reset(1, step);
            client.Step(actions, step);
        });

        Assert.Single(lines, l => l.StartsWith("client,", StringComparison.Ordinal));
        Assert.Single(lines, l => l.StartsWith("bridge,", StringComparison.Ordinal));
    }

    [Fact]
    public void Analysis_splits_a_round_trip_into_its_parts()
    {
        // A request sent at 0 ms, picked up at 5, stepped 6 to 8, reply sent at 8.5, had at 14 by a client waiting since 1;
        // the next sent at 20 ms with the same timings. Times in nanoseconds.
        string[] client =
        [
            StepTrace.Header,
            "client,AA,1,0,1000000,14000000,0",
            "client,AA,2,20000000,21000000,34000000,0",
        ];
        string[] bridge =
        [
            StepTrace.Header,
            "bridge,AA,1,5000000,6000000,8000000,8500000",
            "bridge,AA,2,25000000,26000000,28000000,28500000",
            "bridge,BB,1,0,0,9000000,9000000", // another trainer's client: not joined
        ];

        var analysis = StepTraceAnalysis.Analyze(client, [bridge])!;

        Assert.Equal(2, analysis.Requests);
        Assert.Equal(5, analysis.ToBridge, 9);
        Assert.Equal(1, analysis.BeforeStep, 9);
        Assert.Equal(2, analysis.Step, 9);
        Assert.Equal(0.5, analysis.AfterStep, 9);
        Assert.Equal(5.5, analysis.ToClient, 9);
        Assert.Equal(13, analysis.ClientWait, 9);
        Assert.Equal(20, analysis.Cycle, 9);
        Assert.Equal(4 / 23.5, analysis.BridgeBusyShare, 9); // 4 ms stepping from the first pickup (5) to the last send (28.5)
    }

    [Fact]
    public void A_groups_period_splits_into_parts_that_add_up_and_leaves_out_the_pause_for_learning()
    {
        // Three periods of 20 ms (sent at 0, 20, 40, 60), then a pause of 100 ms while the trainer learns (sent at 160).
        // Each request: picked up 5 ms after its send, its reply sent 3.5 ms later, in the trainer's hand 5.5 ms after that.
        long[] sends = [0, 20, 40, 60, 160];
        var client = new List<string> { StepTrace.Header };
        var bridge = new List<string> { StepTrace.Header };
        for (int i = 0; i < sends.Length; i++)
        {
            long t = sends[i] * 1_000_000;
            client.Add($"client,AA,{i + 1},{t},{t + 1_000_000},{t + 14_000_000},0");
            bridge.Add($"bridge,AA,{i + 1},{t + 5_000_000},{t + 6_000_000},{t + 8_000_000},{t + 8_500_000}");
        }

        var split = StepTraceAnalysis.Analyze(client, [bridge])!.Split!;

        Assert.Equal(3, split.Periods); // the 100 ms pause is not a period
        Assert.Equal(20, split.Cycle, 9);
        Assert.Equal(5, split.ToBridge, 9);
        Assert.Equal(3.5, split.AtBridge, 9);
        Assert.Equal(5.5, split.Back, 9);
        Assert.Equal(6, split.Turn, 9);
        Assert.Equal(split.Cycle, split.ToBridge + split.AtBridge + split.Back + split.Turn, 9);
    }

    [Fact]
    public void Nothing_joins_without_the_bridge_side()
    {
        Assert.Null(StepTraceAnalysis.Analyze([StepTrace.Header, "client,AA,1,0,1,2,0", "not,a,row"], [[StepTrace.Header]]));
    }

    /// <summary>Runs <paramref name="steps"/> against an in-process toy bridge with tracing on; returns the trace file's lines.</summary>
    private static string[] Traced(int numEnvs, Action<BridgeClient, VectorStep, float[]> steps)
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("robotics-step-trace-").FullName, "steps.csv");
        StepTrace.Enable(path);
        try
        {
            using var bridge = LocalBridge.StartInProcess(new ToyEnvFactory());
            using var client = BridgeClient.Open(bridge.Endpoint, new MakeRequest { Task = "toy", NumEnvs = numEnvs }, new BridgeClientOptions { Timeout = TimeSpan.FromSeconds(5) });
            steps(client, new VectorStep(numEnvs, client.Spec.ObservationSize), new float[numEnvs * client.Spec.ActionSize]);
        }
        finally
        {
            StepTrace.Disable();
        }

        return File.ReadAllLines(path);
    }
}
