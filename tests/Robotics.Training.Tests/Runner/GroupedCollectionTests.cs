using Robotics.Contract.Environments;
using Robotics.Sim.Environments;
using Robotics.Sim.Tasks;
using Robotics.SimBridge.Hosting;
using Robotics.SimBridge.Server;
using Robotics.Training.Environments;
using Robotics.Training.Monitoring;
using Robotics.Training.Runner;
using static Robotics.Training.Tests.Runner.RunnerTestKit;

namespace Robotics.Training.Tests.Runner;

/// <summary>env_groups: groups of environments stepped out of phase, and still deterministic.</summary>
public sealed class GroupedCollectionTests
{
    private static readonly string[] Compared =
        ["losses/policy_loss", "losses/value_loss", "losses/approx_kl", "losses/explained_variance", "charts/episode_return_mean", "eval/return_mean"];

    [Fact]
    public void Three_groups_train_the_same_numbers_in_process_and_out_of_phase_through_two_bridges()
    {
        // 7 environments in groups of 3, 2, 2, each group spread over 2 bridges; through the bridges the groups are
        // taken as their replies arrive, in process one after the other. Same numbers, every time
        // (observation tensors of a few rows once varied in the last bit with the alignment of their array).
        var config = SmallConfig(totalSteps: 4 * 7 * 32) with { Task = "cartpole-balance", NumEnvs = 7, EnvGroups = 3 };

        var inProcess = Run(config, SimEnvironmentSource.ForTask(config.Task, threads: 1, groups: 3));
        var bridges = Run(config, BridgeEnvironmentSource.Local(config.Task, count: 2, () => LocalBridge.StartInProcess(new SimEnvFactory(threads: 1)), groups: 3));
        var again = Run(config, BridgeEnvironmentSource.Local(config.Task, count: 2, () => LocalBridge.StartInProcess(new SimEnvFactory(threads: 1)), groups: 3));

        var inProcessAgain = Run(config, SimEnvironmentSource.ForTask(config.Task, threads: 1, groups: 3));
        Assert.Equal(4, inProcess.Count);
        AssertSame(inProcess, inProcessAgain);
        AssertSame(bridges, again);
        AssertSame(inProcess, bridges);
    }

    [Fact]
    public void Groups_taken_in_whatever_order_they_arrive_train_the_same_numbers()
    {
        // In process every group is always in, so the lowest one runs through its whole rollout before the next
        // starts; here each group says at random whether it is in, so the groups interleave differently at every
        // step of every rollout. The rollout's noise, the statistics frozen within it and the fixed order of what
        // follows it keep every number the same.
        var config = SmallConfig(totalSteps: 3 * 6 * 32) with { Task = "cartpole-balance", NumEnvs = 6, EnvGroups = 3 };

        var inTurn = Run(config, SimEnvironmentSource.ForTask(config.Task, threads: 1, groups: 3));
        var atRandom = Run(config, RandomlyArriving(config.Task, groups: 3, seed: 5));

        Assert.Equal(3, inTurn.Count);
        AssertSame(inTurn, atRandom);
    }

    [Fact]
    public void In_lockstep_the_bridges_step_while_the_values_are_computed_and_the_numbers_stay_those_of_in_process()
    {
        // Through bridges the actions go out before the value network runs (it overlaps the stepping); in process
        // the vector steps after both. Neither draws a random number in between, so the runs are the same.
        var config = SmallConfig(totalSteps: 3 * 5 * 32) with { Task = "cartpole-balance", NumEnvs = 5 };

        var inProcess = Run(config, SimEnvironmentSource.ForTask(config.Task, threads: 1));
        var bridges = Run(config, BridgeEnvironmentSource.Local(config.Task, count: 2, () => LocalBridge.StartInProcess(new SimEnvFactory(threads: 1))));

        Assert.Equal(3, inProcess.Count);
        AssertSame(inProcess, bridges);
    }

    [Fact]
    public void The_grouping_is_part_of_the_layout_two_groups_train_numbers_of_their_own()
    {
        // A grouped rollout draws its noise for all steps at once and keeps the observation statistics of its start,
        // so a run's numbers depend on env_groups (as docs/training.md says), while its environments do not.
        var lockstep = SmallConfig(totalSteps: 2 * 6 * 32) with { Task = "cartpole-balance", NumEnvs = 6 };
        var one = Run(lockstep, SimEnvironmentSource.ForTask(lockstep.Task, threads: 1));
        var two = Run(lockstep with { EnvGroups = 2 }, SimEnvironmentSource.ForTask(lockstep.Task, threads: 1, groups: 2));

        Assert.Equal(2, two.Count);
        Assert.NotEqual(one[1].GetOrNaN("losses/policy_loss"), two[1].GetOrNaN("losses/policy_loss"));
    }

    /// <summary>In-process groups that answer "in" at random (seeded), with a wait that returns at once: taken in a shuffled order.</summary>
    private static IEnvironmentSource RandomlyArriving(string task, int groups, int seed)
    {
        var loaded = TaskCatalog.Load(task);
        var random = new Random(seed);
        SimVectorEnv Make(int n) => new(loaded, n, new SimVectorEnvOptions { Threads = 1 });
        return new InProcessEnvironmentSource(
            "groups arriving at random",
            n => GroupedVectorEnv.Create(n, groups, m => new Shuffled(new SplitStepAdapter(Make(m)), random), waitForAny: _ => { }),
            n => Make(n));
    }

    private sealed class Shuffled(SplitStepAdapter inner, Random random) : ISplitStepVectorEnv
    {
        public EnvSpec Spec => inner.Spec;
        public bool StepArrived => random.Next(3) == 0;
        public void Reset(int seed, VectorStep into) => inner.Reset(seed, into);
        public void Step(ReadOnlySpan<float> actions, VectorStep into) => inner.Step(actions, into);
        public void SendReset(int seed) => inner.SendReset(seed);
        public void ReceiveReset(VectorStep into, int envOffset) => inner.ReceiveReset(into, envOffset);
        public void SendStep(ReadOnlySpan<float> actions) => inner.SendStep(actions);
        public void ReceiveStep(VectorStep into, int envOffset) => inner.ReceiveStep(into, envOffset);
        public void Dispose() => inner.Dispose();
    }

    private static List<MetricRecord> Run(Robotics.Training.Configuration.TrainingConfig config, IEnvironmentSource source)
    {
        using var _ = source;
        var updates = new List<MetricRecord>();
        new TrainingRunner(config, TempRunDir(), source) { OnUpdate = updates.Add }.Train(new Quiet(), resume: false);
        return updates;
    }

    private static void AssertSame(List<MetricRecord> a, List<MetricRecord> b)
    {
        Assert.Equal(a.Count, b.Count);
        for (int u = 0; u < a.Count; u++)
        {
            foreach (var name in Compared)
                Assert.True(a[u].GetOrNaN(name).Equals(b[u].GetOrNaN(name)), $"update {u + 1}, {name}: {a[u].GetOrNaN(name)} vs {b[u].GetOrNaN(name)}");
        }
    }
}
