using System.Text.Json;

namespace Robotics.Runtime.Tests;

/// <summary>The robot program goes onto robot controllers: nothing of the training or simulation stack may come with it.</summary>
public sealed class RobotProgramDependencyTests
{
    [Fact]
    public void Robot_program_restores_no_TorchSharp_MuJoCo_NetMQ_or_ScottPlot()
    {
        var assets = Path.Combine(RepositoryRoot(), "src", "Robotics.RobotRuntime", "obj", "project.assets.json");
        Assert.True(File.Exists(assets), $"{assets} is missing: restore src/Robotics.RobotRuntime first");

        using var document = JsonDocument.Parse(File.ReadAllText(assets));
        var libraries = document.RootElement.GetProperty("libraries").EnumerateObject().Select(p => p.Name.Split('/')[0]).ToList();

        Assert.Contains("Microsoft.ML.OnnxRuntime", libraries);
        Assert.Contains("Robotics.Runtime", libraries);
        Assert.Contains("Robotics.FirmwareInterface", libraries);
        foreach (var forbidden in new[] { "TorchSharp", "libtorch", "Robotics.Sim", "Robotics.SimBridge", "Robotics.Training", "Robotics.RobotEmulator", "NetMQ", "ScottPlot", "SkiaSharp", "MessagePack" })
            Assert.DoesNotContain(libraries, l => l.StartsWith(forbidden, StringComparison.OrdinalIgnoreCase));
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
