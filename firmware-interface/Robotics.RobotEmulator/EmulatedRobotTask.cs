using Robotics.Contract;
using Robotics.Contract.Definitions;
using Robotics.FirmwareInterface.Firmware;
using Robotics.Sim.Tasks;

namespace Robotics.RobotEmulator;

/// <summary>Finds the simulation behind an emulated robot, and the firmware limits its contract implies.</summary>
public static class EmulatedRobotTask
{
    /// <summary>
    /// Loads the task to emulate: <paramref name="robotOrTask"/> names a task, or a robot, in which case the first
    /// task of that robot in name order is used (its initial state decides where the robot starts).
    /// </summary>
    public static LoadedTask Load(string robotOrTask)
    {
        if (TaskCatalog.IsTask(robotOrTask) || robotOrTask.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase))
            return TaskCatalog.Load(robotOrTask);

        var configs = TaskCatalog.FindConfigDirectory();
        foreach (var task in TaskCatalog.KnownTasks())
        {
            var definition = TaskDefinition.Load(Path.Combine(configs!, "tasks", task + ".yaml"));
            if (definition.Robot == robotOrTask)
                return TaskCatalog.Load(task);
        }

        var robots = TaskCatalog.KnownRobots();
        throw new ArgumentException(
            $"no task uses robot '{robotOrTask}'; known robots: {(robots.Count == 0 ? "(none)" : string.Join(", ", robots))}; or name a task: {string.Join(", ", TaskCatalog.KnownTasks())}");
    }

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
