using System.CommandLine;
using System.Globalization;
using Robotics.Contract;
using Robotics.Sim.Tasks;

namespace Robotics.Cli.Commands;

/// <summary>
/// <c>robotics contract ROBOT_OR_TASK</c>: prints the contract JSON and its hash. For a robot, the robot
/// contract (what its firmware must report in the handshake); for a task, the policy contract a policy
/// trained on it carries, and the robot contract's hash too. Also reads a contract saved as JSON.
/// </summary>
internal static class ContractCommand
{
    public static Command Create()
    {
        var target = new Argument<string>("robot-or-task")
        {
            Description = "a robot or task name (configs/robots, configs/tasks), a robot or task .yaml file, or a contract .json file",
        };
        var hashOnly = new Option<bool>("--hash") { Description = "print only the hash" };
        var command = new Command("contract", "Print the contract of a robot or task as JSON, with its hash.") { target, hashOnly };
        command.SetAction(parse => CliErrors.Known.Run("robotics contract", () =>
        {
            Print(parse.GetValue(target)!, parse.GetValue(hashOnly));
            return 0;
        }));
        return command;
    }

    private static void Print(string target, bool hashOnly)
    {
        if (target.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            PrintJson(File.ReadAllText(target), hashOnly);
            return;
        }

        if (IsRobot(target))
        {
            var robot = TaskCatalog.LoadRobot(target).Contract;
            Write(robot.ToJson(), robot.Hash, hashOnly);
            if (!hashOnly)
                Console.WriteLine($"handshake hash: 0x{robot.ShortHash.ToString("x16", CultureInfo.InvariantCulture)}");
            return;
        }

        var task = TaskCatalog.Load(target);
        Write(task.PolicyContract.ToJson(), task.PolicyContract.Hash, hashOnly);
        if (!hashOnly)
        {
            Console.WriteLine($"robot contract hash: {task.RobotContract.Hash}");
            Console.WriteLine($"handshake hash: 0x{task.RobotContract.ShortHash.ToString("x16", CultureInfo.InvariantCulture)}");
        }
    }

    /// <summary>A robot file has an mjcf key; a name is a robot when only the robots folders have it.</summary>
    private static bool IsRobot(string target)
    {
        if (TaskCatalog.IsPath(target))
            return TaskCatalog.IsRobotFile(target);
        if (TaskCatalog.IsTask(target))
            return false;
        if (TaskCatalog.IsRobot(target))
            return true;
        throw new ConfigException(target, "(name)",
            $"no robot or task of that name (looked in {TaskCatalog.DescribeSearchPath()}); robots: {string.Join(", ", TaskCatalog.KnownRobots())}; tasks: {string.Join(", ", TaskCatalog.KnownTasks())}; or pass the path of a robot or task .yaml file");
    }

    private static void PrintJson(string json, bool hashOnly)
    {
        using var document = System.Text.Json.JsonDocument.Parse(json);
        if (document.RootElement.TryGetProperty("task", out _))
        {
            var policy = PolicyContract.FromJson(json);
            Write(policy.ToJson(), policy.Hash, hashOnly);
        }
        else
        {
            var robot = RobotContract.FromJson(json);
            Write(robot.ToJson(), robot.Hash, hashOnly);
        }
    }

    private static void Write(string json, string hash, bool hashOnly)
    {
        if (hashOnly)
        {
            Console.WriteLine(hash);
            return;
        }
        Console.WriteLine(json);
        Console.WriteLine($"hash: {hash}");
    }
}
