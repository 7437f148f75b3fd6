using Robotics.Contract.Environments;
using Robotics.Sim.Environments;
using Robotics.Sim.Tasks;

namespace Robotics.Training.Environments;

/// <summary>MuJoCo environments in this process (tests, quick experiments): no messaging at all.</summary>
public static class SimEnvironmentSource
{
    /// <param name="groups">Training environments in this many groups (<see cref="GroupedVectorEnv"/>), as env_groups asks; evaluation is not grouped.</param>
    public static IEnvironmentSource ForTask(string task, int threads = 1, bool randomize = true, int groups = 1)
    {
        var loaded = TaskCatalog.Load(task);
        SimVectorEnv Make(int n) => new(loaded, n, new SimVectorEnvOptions { Threads = threads, Randomize = randomize });
        return new InProcessEnvironmentSource(
            $"in-process MuJoCo ({task}, {threads} thread{(threads == 1 ? "" : "s")}{(groups > 1 ? $", {groups} groups" : "")})",
            n => groups == 1 ? Make(n) : GroupedVectorEnv.Create(n, groups, m => new SplitStepAdapter(Make(m))),
            n => Make(n));
    }
}
