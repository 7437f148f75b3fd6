using Robotics.Contract.Config;
using YamlDotNet.RepresentationModel;

namespace Robotics.Contract.Definitions;

/// <summary>
/// A task as written in configs/tasks/NAME.yaml: which robot, what the policy observes, how normalized
/// actions map to commands, the reward terms and weights, when an episode ends, how it starts, and
/// what is randomized. Term names are checked against the simulator's term registry when the task is loaded.
/// </summary>
public sealed class TaskDefinition
{
    private static readonly string[] TopLevelKeys =
    [
        "name", "robot", "max_episode_steps", "commands", "observations", "critic_observations", "actions", "rewards",
        "terminations", "initial_state", "randomization",
    ];

    private TaskDefinition(ConfigMap root)
    {
        root.AllowOnly(TopLevelKeys);
        File = root.File;
        Name = root.OptionalString("name") ?? System.IO.Path.GetFileNameWithoutExtension(File);
        RobotValue = root.Required("robot", "a robot name (configs/robots/NAME.yaml) or the path of a robot YAML file");
        Robot = RobotValue.AsString();

        var stepsValue = root.Required("max_episode_steps", "the episode length in control steps (an integer >= 1)");
        MaxEpisodeSteps = stepsValue.AsInt();
        if (MaxEpisodeSteps < 1)
            throw stepsValue.Error($"expected an integer >= 1, found {MaxEpisodeSteps}");

        Commands = CommandDefinition.ReadList(root.Optional("commands"));
        var observations = root.Required("observations", "a list of observation terms");
        Observations = TermDefinition.ReadList(observations, weighted: false);
        if (Observations.Count == 0)
            throw observations.Error("expected at least one observation term");
        CriticObservations = TermDefinition.ReadList(root.Optional("critic_observations"), weighted: false);
        Rewards = TermDefinition.ReadList(root.Optional("rewards"), weighted: true);
        Terminations = TermDefinition.ReadList(root.Optional("terminations"), weighted: false);
        Actions = ActionMappingDefinition.Read(root.Optional("actions"));
        InitialState = InitialStateDefinition.Read(root.Optional("initial_state"));

        var randomization = root.Optional("randomization");
        Randomization = randomization switch
        {
            null => null,
            { Node: YamlMappingNode map } => map,
            _ => throw randomization.Error("expected a mapping of randomization settings"),
        };
    }

    public string Name { get; }
    public string File { get; }

    /// <summary>The robot as written: a name or a path relative to this file.</summary>
    public string Robot { get; }

    /// <summary>The <c>robot:</c> value, for errors about it.</summary>
    public ConfigValue RobotValue { get; }

    /// <summary>Episode length in control steps; reaching it truncates the episode.</summary>
    public int MaxEpisodeSteps { get; }

    public IReadOnlyList<CommandDefinition> Commands { get; }
    public IReadOnlyList<TermDefinition> Observations { get; }

    /// <summary>
    /// Terms only the value function sees in training, after the policy's observations (an asymmetric critic):
    /// what a simulator knows and a robot does not, such as the true base velocity or the episode's drawn physics.
    /// They are not part of the policy's contract and never reach an exported model.
    /// </summary>
    public IReadOnlyList<TermDefinition> CriticObservations { get; }
    public IReadOnlyList<TermDefinition> Rewards { get; }
    public IReadOnlyList<TermDefinition> Terminations { get; }
    public ActionMappingDefinition Actions { get; }
    public InitialStateDefinition InitialState { get; }

    /// <summary>The <c>randomization:</c> mapping as written, for the simulator's randomization parser; null when absent.</summary>
    public YamlMappingNode? Randomization { get; }

    public static TaskDefinition Load(string file) => new(ConfigFile.Load(file));

    public static TaskDefinition Parse(string yaml, string file) => new(ConfigFile.Parse(yaml, System.IO.Path.GetFullPath(file)));

    /// <summary>Index of a command in <see cref="Commands"/>, or -1.</summary>
    public int CommandIndex(string name)
    {
        for (int i = 0; i < Commands.Count; i++)
        {
            if (Commands[i].Name == name)
                return i;
        }
        return -1;
    }

    /// <summary>Start of a command in the concatenated command vector.</summary>
    public int CommandOffset(int index)
    {
        int offset = 0;
        for (int i = 0; i < index; i++)
            offset += Commands[i].Size;
        return offset;
    }

    public int CommandSize => Commands.Sum(c => c.Size);
}
