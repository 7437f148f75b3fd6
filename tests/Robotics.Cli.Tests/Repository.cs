namespace Robotics.Cli.Tests;

/// <summary>The repository's root folder, found from the test's build output.</summary>
internal static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "configs", "tasks")))
                return dir.FullName;
        }

        throw new InvalidOperationException($"no configs/tasks folder above {AppContext.BaseDirectory}");
    }
}
