using Robotics.Sim.Environments;
using Robotics.Sim.Randomization;
using Robotics.Sim.Tasks;
using Robotics.SimBridge.Protocol;

namespace Robotics.SimBridge.Server;

/// <summary>Makes in-process MuJoCo vector environments from the task catalog: what a real bridge serves.</summary>
public sealed class SimEnvFactory : IBridgeEnvFactory
{
    /// <param name="threads">Threads that step each batch, the bridge's socket thread included.</param>
    public SimEnvFactory(int threads = 0)
    {
        Threads = threads > 0 ? threads : Environment.ProcessorCount;
    }

    public int Threads { get; }

    public IHostedEnv Create(MakeRequest request, int numEnvs)
    {
        var task = TaskCatalog.Load(request.Task);
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
