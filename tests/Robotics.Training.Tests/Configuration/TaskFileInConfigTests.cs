using Robotics.Contract;
using Robotics.Training.Configuration;

namespace Robotics.Training.Tests.Configuration;

/// <summary>A training config naming a task file of the user's own, outside configs/.</summary>
public sealed class TaskFileInConfigTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "robotics-task-file-tests-" + Guid.NewGuid().ToString("N"));

    public TaskFileInConfigTests()
    {
        Directory.CreateDirectory(Path.Combine(root, "tasks"));
        Directory.CreateDirectory(Path.Combine(root, "training"));
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    private string WriteTask(string fileName, string? name)
    {
        string path = Path.Combine(root, "tasks", fileName);
        File.WriteAllText(path, (name is null ? "" : $"name: {name}\n") + "robot: cartpole\nmax_episode_steps: 10\nobservations: [joint_positions]\n");
        return path;
    }

    private string WriteConfig(string text)
    {
        string path = Path.Combine(root, "training", "mine.yaml");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void A_relative_task_path_is_read_from_the_config_s_folder_not_the_current_directory()
    {
        string task = WriteTask("balance.yaml", "my-balance");

        var config = TrainingConfigFile.Load(WriteConfig("task: ../tasks/balance.yaml\n"));

        Assert.NotEqual(Path.GetFullPath(Directory.GetCurrentDirectory()), Path.GetFullPath(Path.Combine(root, "training")));
        Assert.Equal(task, config.Task);
    }

    [Fact]
    public void The_config_a_run_folder_keeps_names_the_task_file_so_it_loads_from_any_folder()
    {
        string task = WriteTask("balance.yaml", "my-balance");
        var config = TrainingConfigFile.Load(WriteConfig("task: ../tasks/balance.yaml\n"));
        string runFolder = Path.Combine(root, "runs", "elsewhere");
        Directory.CreateDirectory(runFolder);
        File.WriteAllText(Path.Combine(runFolder, "config.yaml"), TrainingConfigFile.ToYaml(config));

        var again = TrainingConfigFile.Load(Path.Combine(runFolder, "config.yaml"));

        Assert.Equal(task, again.Task);
        Assert.Equal("my-balance", again.TaskName);
    }

    [Fact]
    public void The_default_run_name_uses_the_task_s_name_not_its_path()
    {
        WriteTask("balance.yaml", "my-balance");

        var config = TrainingConfigFile.Load(WriteConfig("task: ../tasks/balance.yaml\nalgorithm: sac\nseed: 4\n"));

        Assert.Equal("my-balance-sac-seed4", config.ResolvedRunName);
    }

    [Fact]
    public void A_task_file_without_a_name_gives_the_run_its_file_name_without_extension()
    {
        WriteTask("swing.yml", name: null);

        var config = TrainingConfigFile.Load(WriteConfig("task: ../tasks/swing.yml\n"));

        Assert.Equal("swing-ppo-seed1", config.ResolvedRunName);
        Assert.Equal("swing-ppo-seed2", (config with { Seed = 2 }).ResolvedRunName);
    }

    [Fact]
    public void A_task_name_from_the_catalogue_is_kept_as_it_is()
    {
        var config = TrainingConfigFile.Load(WriteConfig("task: cartpole-balance\n"));

        Assert.Equal("cartpole-balance", config.Task);
        Assert.Equal("cartpole-balance-ppo-seed1", config.ResolvedRunName);
    }

    [Fact]
    public void A_task_file_that_is_not_there_names_the_config_its_line_and_where_it_was_looked_for()
    {
        string config = WriteConfig("seed: 3\ntask: ../tasks/none.yaml\n");

        var e = Assert.Throws<ConfigException>(() => TrainingConfigFile.Load(config));

        Assert.Equal(config, e.File);
        Assert.Equal("task", e.Key);
        Assert.Contains("line 2", e.Problem);
        Assert.Contains(Path.Combine(root, "tasks", "none.yaml"), e.Problem);
    }
}
