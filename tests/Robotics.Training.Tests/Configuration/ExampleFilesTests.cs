using Robotics.Contract.Environments;
using Robotics.Sim.Environments;
using Robotics.Sim.Tasks;
using Robotics.Training.Configuration;
using static Robotics.Training.Tests.Runner.RunnerTestKit;

namespace Robotics.Training.Tests.Configuration;

/// <summary>The robot of one's own under examples/ stays loadable: its training configs, tasks, robot and MJCF.</summary>
public sealed class ExampleFilesTests
{
    public static TheoryData<string> Configs()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(RepositoryRoot(), "examples"), "*-ppo.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            data.Add(Path.GetRelativePath(RepositoryRoot(), file));
        return data;
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void The_example_config_loads_and_its_task_steps(string config)
    {
        var loaded = TrainingConfigFile.Load(Path.Combine(RepositoryRoot(), config));
        var task = TaskCatalog.Load(loaded.Task);
        using var env = new SimVectorEnv(task, 2, new SimVectorEnvOptions { Threads = 1, Randomize = true });
        var step = VectorStep.For(env.Spec);
        env.Reset(1, step);
        env.Step(new float[2 * env.Spec.ActionSize], step);
        Assert.All(step.Observations, o => Assert.True(float.IsFinite(o)));
    }
}
