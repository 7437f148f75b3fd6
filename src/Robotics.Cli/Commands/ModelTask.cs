using Robotics.Contract;
using Robotics.Contract.CommandLine;
using Robotics.Sim.Tasks;

namespace Robotics.Cli.Commands;

/// <summary>Which task an exported model is evaluated on: --task when given, else the task its contract names.</summary>
internal static class ModelTask
{
    /// <summary>
    /// <paramref name="taskOption"/> (a task name or the path of a task file) when given; else the contract's task,
    /// which must be found by name here unless the environments come from remote bridges (they have their own
    /// catalogue). A model of a task kept outside the catalogue says to pass that task's file.
    /// </summary>
    public static string Choose(string? taskOption, string modelPath, PolicyContract contract, bool onRemoteBridges = false)
    {
        if (taskOption is not null || onRemoteBridges)
            return taskOption ?? contract.Task;
        if (TaskCatalog.IsTask(contract.Task))
            return contract.Task;
        var known = TaskCatalog.KnownTasks();
        throw new ConfigException(modelPath, "task",
            $"the model was trained on task '{contract.Task}', which is not a known task ({(known.Count == 0 ? "none found" : string.Join(", ", known))}); "
            + $"pass its task file with --task PATH, e.g. --task my-tasks/{contract.Task}.yaml, or list its folder in {TaskCatalog.ConfigDirVariable}");
    }

    /// <summary>Refuses a model path with nothing there, saying how to write one.</summary>
    public static void RequireModel(string modelPath)
    {
        if (!File.Exists(modelPath))
            throw new CommandLineException($"robotics eval: no model at {modelPath}; write one with 'robotics export RUN_DIR --out {modelPath}'");
    }
}
