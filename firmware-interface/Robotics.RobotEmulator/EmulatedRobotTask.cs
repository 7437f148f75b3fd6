using Robotics.Contract;
using Robotics.Contract.Definitions;
using Robotics.FirmwareInterface.Firmware;
using Robotics.Sim.Tasks;

namespace Robotics.RobotEmulator;

/// <summary>Finds the simulation behind an emulated robot, and the firmware limits its contract implies.</summary>
public static class EmulatedRobotTask
{
    /// <summary>An episode of a robot alone lasts this many control steps: hours at any control rate used here.</summary>
    private const int RobotAloneEpisodeSteps = 1_000_000;

    /// <summary>
    /// Loads the task to emulate. <paramref name="robotOrTask"/> is a task or robot name, or the path of a task or
    /// robot .yaml file (told apart by their keys). A robot runs in the first task of that robot in name order (its
    /// initial state decides where the robot starts); a robot file, or a robot no known task uses, runs alone and
    /// starts in the MJCF's initial pose.
    /// </summary>
    public static LoadedTask Load(string robotOrTask)
    {
        if (TaskCatalog.IsPath(robotOrTask))
            return TaskCatalog.IsRobotFile(robotOrTask) ? RobotAlone(TaskCatalog.LoadRobot(robotOrTask)) : TaskCatalog.Load(robotOrTask);
        if (TaskCatalog.IsTask(robotOrTask))
            return TaskCatalog.Load(robotOrTask);
        if (TaskCatalog.IsRobot(robotOrTask))
        {
            foreach (var (name, file) in TaskCatalog.TaskFiles().OrderBy(t => t.Name, StringComparer.Ordinal))
            {
                if (TaskDefinition.Load(file).Robot == robotOrTask)
                    return TaskCatalog.Load(name);
            }

            return RobotAlone(TaskCatalog.LoadRobot(robotOrTask));
        }

        var robots = TaskCatalog.KnownRobots();
        throw new ArgumentException(
            $"no robot or task '{robotOrTask}' (looked in {TaskCatalog.DescribeSearchPath()}); known robots: {(robots.Count == 0 ? "(none)" : string.Join(", ", robots))}; known tasks: {string.Join(", ", TaskCatalog.KnownTasks())}; "
            + $"or pass the path of a robot or task .yaml file (robots and tasks in other folders are found by name when {TaskCatalog.ConfigDirVariable} lists them)");
    }

    /// <summary>
    /// The robot with nothing but its MJCF: a task that observes the joint positions, never ends on its own and starts
    /// in the MJCF's initial pose. An emulated robot only needs the physics; the task's terms are for training.
    /// </summary>
    public static LoadedTask RobotAlone(LoadedRobot robot)
    {
        ArgumentNullException.ThrowIfNull(robot);
        string yaml = $"""
            name: {Quoted(robot.Definition.Name + " (robot alone)")}
            robot: {Quoted(robot.Definition.File)}
            max_episode_steps: {RobotAloneEpisodeSteps}
            observations: [joint_positions]
            """;
        return LoadedTask.Create(robot, TaskDefinition.Parse(yaml, robot.Definition.File));
    }

    private static string Quoted(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>
    /// Command ranges from the contract; safe targets are zero (no effort, no velocity) clamped into each range.
    /// The default watchdog, 2.5 control periods, tolerates one lost command and still reaches the safe state
    /// within 3 periods of the last one.
    /// </summary>
    public static FirmwareLimits Limits(RobotContract contract, TimeSpan? watchdogTimeout)
    {
        var actuators = contract.Actuators;
        var min = actuators.Select(a => (float)a.CommandMin).ToArray();
        var max = actuators.Select(a => (float)a.CommandMax).ToArray();
        var safe = actuators.Select(a => Math.Clamp(0f, (float)a.CommandMin, (float)a.CommandMax)).ToArray();
        return new FirmwareLimits(min, max, safe, watchdogTimeout ?? TimeSpan.FromSeconds(2.5 / contract.ControlRateHz));
    }
}
