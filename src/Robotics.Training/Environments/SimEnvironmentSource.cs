using Robotics.Sim.Environments;
using Robotics.Sim.Tasks;

namespace Robotics.Training.Environments;

/// <summary>MuJoCo environments in this process (tests, quick experiments): no messaging at all.</summary>
public static class SimEnvironmentSource
{
    public static IEnvironmentSource ForTask(string task, int threads = 1, bool randomize = true)
    {
        var loaded = TaskCatalog.Load(task);
        return new InProcessEnvironmentSource(
            $"in-process MuJoCo ({task}, {threads} thread{(threads == 1 ? "" : "s")})",
            n => new SimVectorEnv(loaded, n, new SimVectorEnvOptions { Threads = threads, Randomize = randomize }));
    }
}
