using System.CommandLine;
using Robotics.Contract;

namespace Robotics.Cli.Commands;

/// <summary><c>robotics contract FILE.json</c>: prints the hash of a robot contract (what the firmware must report).</summary>
internal static class ContractCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("contract") { Description = "robot contract as JSON" };
        var command = new Command("contract", "Print the hash of a robot contract JSON file.") { file };
        command.SetAction(parse =>
        {
            var contract = RobotContract.FromJson(File.ReadAllText(parse.GetValue(file)!.FullName));
            Console.WriteLine(contract.Hash);
            return 0;
        });
        return command;
    }
}
