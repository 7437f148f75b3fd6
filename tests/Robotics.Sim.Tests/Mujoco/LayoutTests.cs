using System.Diagnostics;
using System.Reflection;
using Robotics.Sim.Mujoco;

namespace Robotics.Sim.Tests.Mujoco;

/// <summary>
/// Compiles generate-layout.c against the installed MuJoCo headers and checks every offset, array
/// shape and element type in MujocoLayout.g.cs, so a header change cannot silently shift a field.
/// </summary>
public sealed class LayoutTests
{
    private const string LayoutTypeName = "Robotics.Sim.Mujoco.MujocoLayout";

    [Fact]
    public void Generated_layout_matches_the_installed_headers()
    {
        Dictionary<string, string> fromHeaders = ReadHeaderLayout();
        Dictionary<string, string> fromBindings = ReadBindingLayout();

        var problems = new List<string>();
        foreach ((string name, string expected) in fromHeaders)
        {
            if (!fromBindings.TryGetValue(name, out string? actual))
                problems.Add($"{name}: in the headers ({expected}) but not in MujocoLayout.g.cs");
            else if (actual != expected)
                problems.Add($"{name}: MujocoLayout.g.cs has {actual}, the headers give {expected}");
        }
        foreach (string name in fromBindings.Keys.Except(fromHeaders.Keys))
            problems.Add($"{name}: in MujocoLayout.g.cs but not produced from the headers");

        Assert.True(problems.Count == 0,
            $"MujocoLayout.g.cs does not match /usr/include/mujoco ({problems.Count} mismatches); "
            + "run sim-bridge/Robotics.Sim/Mujoco/generate-layout.sh:\n" + string.Join("\n", problems));
        Assert.True(fromHeaders.Count > 50, "the generator should list the bound fields");
    }

    [Fact]
    public void Loaded_library_is_the_version_the_layout_was_generated_for()
    {
        MujocoLibrary.EnsureVersion();

        Assert.Equal(222, MujocoLibrary.ExpectedVersion);
        Assert.Equal("2.2.2", MujocoLibrary.FormatVersion(MujocoLibrary.ExpectedVersion));
    }

    [Fact]
    public void Another_version_is_refused_naming_both_versions()
    {
        var error = Assert.Throws<MujocoException>(() => MujocoLibrary.CheckVersion(310));

        Assert.Contains("2.2.2", error.Message);
        Assert.Contains("222", error.Message);
        Assert.Contains("3.1.0", error.Message);
        Assert.Contains("310", error.Message);
        MujocoLibrary.CheckVersion(222);
    }

    [Fact]
    public void Missing_library_says_how_to_install_it()
    {
        var error = Assert.Throws<MujocoException>(() => MujocoLibrary.LoadLibrary("libmujoco.so.0.0.0-absent"));

        Assert.Contains("apt-get install libmujoco2.2.2", error.Message);
        Assert.Contains("libmujoco.so.0.0.0-absent", error.Message);
    }

    private static Dictionary<string, string> ReadHeaderLayout()
    {
        string source = Path.Combine(FindRepositoryRoot(), "sim-bridge", "Robotics.Sim", "Mujoco", "generate-layout.c");
        string work = Directory.CreateTempSubdirectory("mujoco-layout").FullName;
        try
        {
            string program = Path.Combine(work, "generate-layout");
            Run("gcc", ["-std=c11", "-I/usr/include", source, "-o", program]);
            string listing = Run(program, ["--list"]);
            var layout = new Dictionary<string, string>();
            foreach (string line in listing.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                string[] parts = line.Split(' ');
                layout.Add(parts[1], string.Join(' ', parts.Skip(2)));
            }
            return layout;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    // Same text form as the generator's --list: "value" for constants, "type offset rows cols" for arrays.
    private static Dictionary<string, string> ReadBindingLayout()
    {
        Type layout = typeof(MjModel).Assembly.GetType(LayoutTypeName, throwOnError: true)!;
        var result = new Dictionary<string, string>();
        AddFields(layout, prefix: "", result);
        foreach (Type nested in layout.GetNestedTypes(BindingFlags.Public | BindingFlags.NonPublic))
            AddFields(nested, nested.Name + ".", result);
        return result;
    }

    private static void AddFields(Type type, string prefix, Dictionary<string, string> result)
    {
        foreach (FieldInfo field in type.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static))
        {
            object value = field.GetValue(null)!;
            if (field.IsLiteral)
            {
                result.Add(prefix + field.Name, value.ToString()!);
                continue;
            }
            Type fieldType = field.FieldType;
            Assert.True(fieldType.IsGenericType && fieldType.GetGenericTypeDefinition().Name.StartsWith("MjArrayField", StringComparison.Ordinal),
                $"unexpected field {prefix}{field.Name} of type {fieldType}");
            string element = fieldType.GetGenericArguments()[0] switch
            {
                Type t when t == typeof(double) => "double",
                Type t when t == typeof(int) => "int",
                Type t when t == typeof(float) => "float",
                Type t when t == typeof(byte) => "byte",
                Type t => t.Name,
            };
            int Get(string property) => (int)fieldType.GetProperty(property)!.GetValue(value)!;
            result.Add(prefix + field.Name, $"{element} {Get("Offset")} {Get("RowsOffset")} {Get("Columns")}");
        }
    }

    private static string Run(string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"cannot run {program} (is gcc installed? `apt-get install gcc`): {e.Message}", e);
        }
        using (process)
        {
            Task<string> error = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"{program} failed ({process.ExitCode}):\n{error.Result}");
            return output;
        }
    }

    private static string FindRepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "sim-bridge", "Robotics.Sim", "Mujoco", "generate-layout.c")))
                return directory.FullName;
        }
        throw new InvalidOperationException($"no repository root above {AppContext.BaseDirectory}");
    }
}
