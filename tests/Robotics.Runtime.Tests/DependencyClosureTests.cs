using System.Text.Json;
using Robotics.Runtime.Policy;
using Robotics.Testing;

namespace Robotics.Runtime.Tests;

/// <summary>The runtime goes onto robots: nothing of the training stack may come with it.</summary>
public sealed class DependencyClosureTests
{
    [Fact]
    public void Runtime_assembly_references_no_TorchSharp_directly_or_transitively()
    {
        var seen = AssemblyClosure.Of(typeof(OnnxPolicy).Assembly);

        Assert.Contains("Microsoft.ML.OnnxRuntime", seen);
        Assert.DoesNotContain(seen, n => n.Contains("Torch", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain("Robotics.Training", seen);
    }

    [Fact]
    public void Runtime_project_restores_no_TorchSharp_package()
    {
        var assets = Path.Combine(RepositoryRoot(), "src", "Robotics.Runtime", "obj", "project.assets.json");
        Assert.True(File.Exists(assets), $"{assets} is missing: restore src/Robotics.Runtime first");

        using var document = JsonDocument.Parse(File.ReadAllText(assets));
        var libraries = document.RootElement.GetProperty("libraries").EnumerateObject().Select(p => p.Name).ToList();

        Assert.Contains(libraries, l => l.StartsWith("Microsoft.ML.OnnxRuntime/", StringComparison.Ordinal));
        Assert.DoesNotContain(libraries, l => l.Contains("torch", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(libraries, l => l.StartsWith("Robotics.Training/", StringComparison.Ordinal));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Robotics.sln"))) return dir.FullName;
        }

        throw new DirectoryNotFoundException("Robotics.sln not found above " + AppContext.BaseDirectory);
    }
}
