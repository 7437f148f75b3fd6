using System.Reflection;
using System.Text.Json;
using Robotics.Testing;

namespace Robotics.SimBridge.Host.Tests;

/// <summary>A bridge host needs MuJoCo and the bridge: nothing of the training stack may come with robotics-sim-bridge.</summary>
public sealed class DependencyClosureTests
{
    private static readonly string[] TrainingStack = ["TorchSharp", "libtorch", "Robotics.Training", "ScottPlot", "SkiaSharp", "Spectre.Console"];

    [Fact]
    public void Its_deps_file_lists_the_bridge_and_nothing_of_the_training_stack()
    {
        string deps = Path.Combine(HostOutput(), "robotics-sim-bridge.deps.json");
        Assert.True(File.Exists(deps), $"{deps} is missing: build sim-bridge/Robotics.SimBridge.Host first");

        using var document = JsonDocument.Parse(File.ReadAllText(deps));
        var libraries = document.RootElement.GetProperty("libraries").EnumerateObject().Select(p => p.Name).ToList();

        foreach (string expected in new[] { "Robotics.SimBridge/", "Robotics.SimBridge.Server/", "Robotics.Sim/", "Robotics.Contract/", "NetMQ/", "MessagePack/", "System.CommandLine/" })
        {
            Assert.Contains(libraries, l => l.StartsWith(expected, StringComparison.Ordinal));
        }

        Assert.DoesNotContain(libraries, l => TrainingStack.Any(name => l.Contains(name, StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public void Its_build_output_holds_no_training_assembly_or_native_library()
    {
        string output = HostOutput();
        Assert.True(File.Exists(Path.Combine(output, "robotics-sim-bridge")), $"the program is missing from {output}");

        var files = Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories).Select(Path.GetFileName).ToList();

        Assert.Contains("Robotics.SimBridge.dll", files);
        Assert.DoesNotContain(files, f => TrainingStack.Any(name => f!.Contains(name, StringComparison.OrdinalIgnoreCase)));
        Assert.DoesNotContain(files, f => f!.Contains("torch", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Its_assembly_references_no_training_assembly_directly_or_transitively()
    {
        var seen = AssemblyClosure.Of(typeof(BridgeHostCommand).Assembly);

        Assert.Contains("Robotics.SimBridge", seen);
        Assert.Contains("NetMQ", seen);
        Assert.DoesNotContain(seen, n => TrainingStack.Any(name => n.Contains(name, StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public void Its_project_restores_no_training_package()
    {
        string assets = Path.Combine(Path.GetFullPath(Path.Combine(HostOutput(), "..", "..", "..")), "obj", "project.assets.json");
        Assert.True(File.Exists(assets), $"{assets} is missing: restore sim-bridge/Robotics.SimBridge.Host first");

        using var document = JsonDocument.Parse(File.ReadAllText(assets));
        var libraries = document.RootElement.GetProperty("libraries").EnumerateObject().Select(p => p.Name).ToList();

        Assert.Contains(libraries, l => l.StartsWith("NetMQ/", StringComparison.Ordinal));
        Assert.DoesNotContain(libraries, l => TrainingStack.Any(name => l.Contains(name, StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>The program's own output folder (sim-bridge/Robotics.SimBridge.Host/bin/CONFIGURATION/TFM/), not this test's copy.</summary>
    private static string HostOutput() =>
        Path.GetFullPath(typeof(DependencyClosureTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "HostOutput").Value!);
}
