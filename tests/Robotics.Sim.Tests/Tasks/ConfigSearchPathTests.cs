using Robotics.Sim.Tasks;

namespace Robotics.Sim.Tests.Tasks;

public sealed class ConfigSearchPathTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "robotics-search-path-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(root, recursive: true);

    private string Folder(string name, params string[] files)
    {
        string folder = Path.Combine(root, name);
        foreach (string file in files)
        {
            string path = Path.Combine(folder, file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, name);
        }

        Directory.CreateDirectory(folder);
        return folder;
    }

    [Fact]
    public void Folders_in_the_variable_add_to_the_built_in_ones_and_come_first()
    {
        string builtIn = Folder("builtin", "tasks/walk.yaml", "tasks/reach.yaml", "robots/arm.yaml");
        string mine = Folder("mine", "tasks/walk.yaml", "tasks/swim.yaml");
        string theirs = Folder("theirs", "robots/fish.yaml");

        var search = ConfigSearchPath.Parse($"{mine}:{theirs}", builtIn);

        Assert.Equal([mine, theirs, builtIn], search.Folders);
        Assert.Equal(Path.Combine(mine, "tasks", "walk.yaml"), search.Find("tasks", "walk"));
        Assert.Equal(Path.Combine(builtIn, "tasks", "reach.yaml"), search.Find("tasks", "reach"));
        Assert.Equal(Path.Combine(theirs, "robots", "fish.yaml"), search.Find("robots", "fish"));
        Assert.Equal(Path.Combine(builtIn, "robots", "arm.yaml"), search.Find("robots", "arm"));
        Assert.Null(search.Find("tasks", "fly"));
        Assert.Equal(["reach", "swim", "walk"], search.Names("tasks"));
    }

    [Fact]
    public void A_folder_in_the_variable_that_does_not_exist_is_named_where_names_were_looked_for()
    {
        string builtIn = Folder("builtin", "tasks/walk.yaml");
        string typo = Path.Combine(root, "mnie");

        var search = ConfigSearchPath.Parse($"{typo}::", builtIn);

        Assert.Equal([builtIn], search.Folders);
        Assert.Contains($"{typo} (named in ROBOTICS_CONFIG_DIR, does not exist)", search.Describe("tasks"));
        Assert.Contains(Path.Combine(builtIn, "tasks"), search.Describe("tasks"));
    }

    [Fact]
    public void Without_the_variable_only_the_built_in_folder_is_searched()
    {
        string builtIn = Folder("builtin", "tasks/walk.yaml");

        Assert.Equal([builtIn], ConfigSearchPath.Parse(null, builtIn).Folders);
        Assert.Equal([builtIn], ConfigSearchPath.Parse("", builtIn).Folders);
    }
}
