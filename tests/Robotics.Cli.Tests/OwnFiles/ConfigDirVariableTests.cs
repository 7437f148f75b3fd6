using Xunit.Abstractions;

namespace Robotics.Cli.Tests.OwnFiles;

/// <summary>ROBOTICS_CONFIG_DIR adds a user's folders of robots and tasks to the built-in ones.</summary>
[Collection(OwnFilesCollection.Name)]
public sealed class ConfigDirVariableTests(ITestOutputHelper output) : IDisposable
{
    private readonly UserFolder user = new();

    public void Dispose() => user.Dispose();

    private RoboticsProcess.Result Contract(string configDir, string target)
    {
        var result = RoboticsProcess.Run(user.Elsewhere, new Dictionary<string, string?> { ["ROBOTICS_CONFIG_DIR"] = configDir }, "contract", target, "--hash");
        output.WriteLine($"$ ROBOTICS_CONFIG_DIR={configDir} robotics contract {target} --hash\n{result}");
        return result;
    }

    [Fact]
    public void Names_are_found_in_the_user_s_folder_and_the_built_in_ones_stay_available()
    {
        foreach (string name in new[] { "pole-balance", "pole", "cartpole-balance", "cartpole" })
        {
            var result = Contract(user.Root, name);
            Assert.True(result.ExitCode == 0, $"{name}: {result}");
            Assert.Matches("^[0-9a-f]{64}$", result.Stdout.Trim());
        }
    }

    [Fact]
    public void Several_folders_are_searched_in_order_and_a_missing_one_is_named_when_a_name_is_not_found()
    {
        string missing = Path.Combine(user.Root, "no-such-folder");

        var found = Contract($"{missing}:{user.Root}", "pole-balance");
        var unknown = Contract($"{missing}:{user.Root}", "pole-balanse");

        Assert.True(found.ExitCode == 0, found.ToString());
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains(missing, unknown.Stderr);
        Assert.Contains("pole-balance", unknown.Stderr);
        Assert.Contains("cartpole-balance", unknown.Stderr);
    }
}
