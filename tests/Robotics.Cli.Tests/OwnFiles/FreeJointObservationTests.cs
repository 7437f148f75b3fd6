using Xunit.Abstractions;

namespace Robotics.Cli.Tests.OwnFiles;

/// <summary>joint_angles_sincos as a user meets it: in the contract robotics prints, and in one-line errors naming their task file.</summary>
[Collection(OwnFilesCollection.Name)]
public sealed class FreeJointObservationTests(ITestOutputHelper output) : IDisposable
{
    private readonly UserFolder user = new();

    public void Dispose() => user.Dispose();

    private RoboticsProcess.Result Robotics(params string[] args)
    {
        var result = RoboticsProcess.Run(user.Elsewhere, new Dictionary<string, string?> { ["ROBOTICS_CONFIG_DIR"] = user.Root }, args);
        output.WriteLine($"$ robotics {string.Join(' ', args)}\n{result}");
        return result;
    }

    [Fact]
    public void The_swingup_contract_lists_the_term_and_its_JSON_read_back_has_the_same_hash()
    {
        var printed = Robotics("contract", "cartpole-swingup");
        Assert.True(printed.ExitCode == 0, printed.ToString());
        var lines = printed.Stdout.Split('\n');
        Assert.Contains("""{"kind":"joint_angles_sincos","names":["hinge"],"size":2}""", lines[0]);
        Assert.DoesNotContain("site_position", lines[0]);
        string hash = Assert.Single(lines, l => l.StartsWith("hash: ", StringComparison.Ordinal))["hash: ".Length..];

        string json = Path.Combine(user.Root, "swingup-contract.json");
        File.WriteAllText(json, lines[0]);
        var readBack = Robotics("contract", json, "--hash");

        Assert.True(readBack.ExitCode == 0, readBack.ToString());
        Assert.Equal(hash, readBack.Stdout.Trim());
    }

    [Fact]
    public void A_joint_the_robot_file_lacks_is_one_line_naming_the_task_file_and_key()
    {
        string task = user.WriteTask("pole-spin", """
            robot: pole
            max_episode_steps: 100
            observations:
              - term: joint_angles_sincos
                joints: [hinge, wheel]
            rewards: [alive]
            """);

        var result = Robotics("contract", task);

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"robotics contract: {task}: 'observations[0].joints': joint_angles_sincos reads joints of the robot file only; 'wheel' is not one (robot joints: slider, hinge)", line);
        Assert.Equal("", result.Stdout);
    }
}
