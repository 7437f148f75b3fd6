using Robotics.Contract.Environments;
using Robotics.Sim.Environments;
using Robotics.Sim.Randomization;
using Robotics.Sim.Tasks;
using Robotics.SimBridge.Protocol;
using Robotics.SimBridge.Tasks;

namespace Robotics.SimBridge.Server;

/// <summary>Makes in-process MuJoCo vector environments from the tasks the bridge serves: what a real bridge runs.</summary>
public sealed class SimEnvFactory : IBridgeEnvFactory
{
    private readonly ServedTasks tasks;

    /// <param name="threads">Threads that step each batch, the bridge's socket thread included.</param>
    /// <param name="tasks">The task files clients may name; the built-in catalogue when null.</param>
    public SimEnvFactory(int threads = 0, ServedTasks? tasks = null)
    {
        Threads = threads > 0 ? threads : Environment.ProcessorCount;
        this.tasks = tasks ?? ServedTasks.CatalogueOnly();
    }

    public int Threads { get; }

    public IHostedEnv Create(MakeRequest request, int numEnvs)
    {
        var task = TaskCatalog.Load(tasks.Resolve(request.Task));
        var env = new SimVectorEnv(task, numEnvs, new SimVectorEnvOptions { Threads = Threads, Randomize = request.Randomize });
        return new HostedSimEnv(env, request.Task);
    }

    private sealed class HostedSimEnv(SimVectorEnv env, string task) : IHostedEnv, IRandomizationControl
    {
        public IVectorEnv Env => env;
        public IRandomizationControl? Randomization => this;

        public string CurrentYaml() => env.Randomization.ToYaml();

        public void Apply(string yaml) => env.Randomization = RandomizationConfig.ParseYaml(yaml, $"randomization sent to the bridge for {task}");

        public IReadOnlyDictionary<string, double> SampleOf(int i) => env.SampleOf(i).Values;

        public void Dispose() => env.Dispose();
    }
}
