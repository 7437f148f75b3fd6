namespace Robotics.Cli.Tests.OwnFiles;

/// <summary>
/// A user's own robots, tasks and training config kept outside the repository: the cart-pole copied as robot "pole"
/// and task "my-balance" (file pole-balance.yaml), and a tiny PPO config naming the task by a relative path.
/// Also a folder elsewhere to start commands from. Removed afterwards.
/// </summary>
internal sealed class UserFolder : IDisposable
{
    public UserFolder()
    {
        Root = Path.Combine(Path.GetTempPath(), "robotics-own-files-tests", Guid.NewGuid().ToString("N"));
        foreach (var folder in new[] { "robots", "tasks", "training", "elsewhere", "somewhere-else" })
            Directory.CreateDirectory(Path.Combine(Root, folder));
        var configs = Path.Combine(Repository.Root, "configs");
        File.Copy(Path.Combine(configs, "robots", "cartpole.xml"), Path.Combine(Root, "robots", "cartpole.xml"));
        File.WriteAllText(RobotFile, File.ReadAllText(Path.Combine(configs, "robots", "cartpole.yaml")).Replace("name: cartpole", "name: pole"));
        File.WriteAllText(TaskFile, "name: my-balance\n" + File.ReadAllText(Path.Combine(configs, "tasks", "cartpole-balance.yaml")).Replace("robot: cartpole", "robot: pole"));
        File.WriteAllText(TrainingConfig, """
            algorithm: ppo
            task: ../tasks/pole-balance.yaml
            total_steps: 512
            num_envs: 2
            local_bridges: 1
            policy: { hidden_sizes: [16] }
            ppo: { rollout_steps: 128, minibatches: 2, epochs: 1 }
            evaluation: { every_updates: 1, episodes: 2 }
            checkpoint: { every_updates: 1 }
            monitoring: { tensorboard: false, progress: never }
            """);
    }

    public string Root { get; }
    public string RobotFile => Path.Combine(Root, "robots", "pole.yaml");
    public string TaskFile => Path.Combine(Root, "tasks", "pole-balance.yaml");
    public string TrainingConfig => Path.Combine(Root, "training", "mine.yaml");

    /// <summary>A folder that is neither the repository nor the config's folder.</summary>
    public string Elsewhere => Path.Combine(Root, "elsewhere");

    /// <summary>Another such folder, for commands after the run.</summary>
    public string SomewhereElse => Path.Combine(Root, "somewhere-else");

    public string WriteTask(string name, string text)
    {
        string path = Path.Combine(Root, "tasks", name + ".yaml");
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
