using System.CommandLine;
using Robotics.Cli.Commands;
using Robotics.SimBridge.Host;
using Robotics.Training.Tensors;

namespace Robotics.Cli;

internal static class Program
{
    private static int Main(string[] args)
    {
        // Before the first tensor: training, evaluation, export and benchmarks all use libtorch.
        HostAllocator.KeepFreedMemory();
        KernelChoice.PreferAvx2();
        var root = new RootCommand("robotics: train policies in MuJoCo, export them to ONNX, and run them on robots. Robot and task names are looked up in the folders listed in ROBOTICS_CONFIG_DIR (colon-separated), then in the built-in configs/; a .yaml path works wherever a name does.");
        foreach (var command in Verbs())
        {
            root.Subcommands.Add(command);
        }

        return root.Parse(args).Invoke();
    }

    // One line per verb; each verb lives in Commands/<Verb>Command.cs.
    private static IEnumerable<Command> Verbs()
    {
        yield return ContractCommand.Create();
        yield return BridgeHostCommand.Create(); // the same command as the robotics-sim-bridge program
        yield return BridgesCommand.Create();
        yield return KeysCommand.Create();
        yield return BenchCommand.Create();
        yield return TrainCommand.Create();
        yield return ResumeCommand.Create();
        yield return EvalCommand.Create();
        yield return PlotCommand.Create();
        yield return CompareCommand.Create();
        yield return ExportCommand.Create();
        yield return RunCommand.Create();
        yield return EmulateCommand.Create();
        yield return QuickstartCommand.Create();
    }
}
