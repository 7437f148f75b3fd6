using Robotics.Contract.Environments;
using Robotics.Sim.Environments;
using Robotics.Sim.Tasks;

namespace Robotics.Sim.Tests.Environments;

public sealed class GroupedVectorEnvTests
{
    [Fact]
    public void Seven_environments_in_three_groups_step_exactly_as_one_vector_of_seven()
    {
        // Groups of 3, 2, 2; environment i is seeded seed + i in both, with domain randomization on, over enough
        // steps that episodes end and reset (the reacher's episodes last 100 steps).
        var task = TaskCatalog.Load("reacher");
        using var whole = new SimVectorEnv(task, 7, new SimVectorEnvOptions { Threads = 1, Randomize = true });
        using var grouped = GroupedVectorEnv.Create(7, 3, n => new SplitStepAdapter(new SimVectorEnv(task, n, new SimVectorEnvOptions { Threads = 1, Randomize = true })));
        Assert.Equal([0, 3, 5], Enumerable.Range(0, 3).Select(grouped.OffsetOf));
        Assert.Equal(whole.Spec.NumEnvs, grouped.Spec.NumEnvs);

        var a = new VectorStep(7, whole.Spec.ObservationSize);
        var b = new VectorStep(7, whole.Spec.ObservationSize);
        whole.Reset(11, a);
        grouped.Reset(11, b);
        Assert.Equal(a.Observations, b.Observations);
        var random = new Random(2);
        var actions = new float[7 * whole.Spec.ActionSize];
        int episodes = 0;
        for (int t = 0; t < 230; t++)
        {
            for (int k = 0; k < actions.Length; k++) actions[k] = (float)(random.NextDouble() * 0.1 - 0.05);
            whole.Step(actions, a);
            if (t % 2 == 0)
            {
                grouped.Step(actions, b);
            }
            else
            {
                // Out of phase, as a trainer steps them: each group sent and received on its own, in another order.
                b.Episodes.Clear();
                b.PhysicsResets = 0;
                foreach (int g in new[] { 2, 0, 1 })
                {
                    grouped.SendStep(g, actions.AsSpan(grouped.OffsetOf(g) * 2, grouped.SizeOf(g) * 2));
                    grouped.ReceiveStep(g, b);
                }
            }

            Assert.Equal(a.Observations, b.Observations);
            Assert.Equal(a.Rewards, b.Rewards);
            Assert.Equal(a.Terminated, b.Terminated);
            Assert.Equal(a.Truncated, b.Truncated);
            Assert.Equal(a.Episodes.Select(e => (e.Env, e.Return, e.Length)).OrderBy(e => e.Env), b.Episodes.Select(e => (e.Env, e.Return, e.Length)).OrderBy(e => e.Env));
            for (int e = 0; e < 7; e++)
            {
                if (a.Truncated[e] || a.Terminated[e]) Assert.Equal(a.FinalObservationOf(e).ToArray(), b.FinalObservationOf(e).ToArray());
            }

            episodes += a.Episodes.Count;
        }

        Assert.Equal(14, episodes);
    }

    [Fact]
    public void More_groups_than_environments_is_refused_with_what_to_change()
    {
        var error = Assert.Throws<ArgumentException>(() => GroupedVectorEnv.Create(2, 3, _ => throw new InvalidOperationException("not reached")));
        Assert.StartsWith("env_groups (3) must be from 1 to num_envs (2)", error.Message);
    }
}
