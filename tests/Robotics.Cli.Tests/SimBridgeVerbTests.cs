using System.CommandLine;
using System.CommandLine.Help;
using System.Text.RegularExpressions;
using Robotics.SimBridge.Host;

namespace Robotics.Cli.Tests;

/// <summary><c>robotics sim-bridge</c> and the robotics-sim-bridge program are one command, so a bridge host and a trainer's own bridges accept the same options.</summary>
public sealed partial class SimBridgeVerbTests
{
    [Fact]
    public void The_sim_bridge_verb_has_exactly_the_options_of_the_robotics_sim_bridge_program()
    {
        var help = RoboticsProcess.Run(Repository.Root, null, "sim-bridge", "--help");
        var program = BridgeHostCommand.CreateRoot();
        var programOptions = program.Options.Where(o => o is not HelpOption and not VersionOption).Select(o => o.Name).Order().ToList();

        Assert.Equal(0, help.ExitCode);
        var verbOptions = OptionLine().Matches(help.Stdout).Select(m => m.Groups[1].Value).Order().ToList();
        Assert.Contains("--curve-key", programOptions);
        Assert.Equal(programOptions, verbOptions);
    }

    [GeneratedRegex(@"(?m)^\s{2}(--[a-z][a-z-]*)")]
    private static partial Regex OptionLine();
}
