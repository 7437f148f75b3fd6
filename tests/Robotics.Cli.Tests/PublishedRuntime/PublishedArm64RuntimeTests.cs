using System.Runtime.InteropServices;
using Robotics.Cli.Quickstart;
using Robotics.Cli.Tests.HardwareInTheLoop;
using Robotics.RobotEmulator;
using Xunit.Abstractions;

namespace Robotics.Cli.Tests.PublishedRuntime;

/// <summary>The published arm64 program, under user-mode emulation, against the x64 build and the emulated robot.</summary>
[Collection(HardwareInTheLoopCollection.Name)]
public sealed class PublishedArm64RuntimeTests(TrainedCartpolePolicy trained, ITestOutputHelper output)
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(2);

    [Fact]
    public void The_arm64_program_gives_the_x64_programs_actions_on_a_thousand_observations()
    {
        Assert.Null(Arm64UnderEmulation.Problem());
        var model = Path.Combine(Repository.Root, "tests", "Robotics.Runtime.Tests", "Models", "two_link_policy.onnx");
        var folder = Path.Combine(trained.Directory, "arm64-equivalence");
        Directory.CreateDirectory(folder);
        var observations = Path.Combine(folder, "observations.f32");
        var random = new Random(12);
        var values = new float[1000 * 6]; // the model reads 6 values
        for (int i = 0; i < values.Length; i++) values[i] = (float)(random.NextDouble() * 6 - 3);
        File.WriteAllBytes(observations, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
        var x64Actions = Path.Combine(folder, "x64.f32");
        var armActions = Path.Combine(folder, "arm64.f32");

        var x64 = PublishedRuntime.Run(PublishedRuntime.Executable("linux-x64"),
            ["check", "--policy", model, "--evaluate", observations, "--write-actions", x64Actions], Generous);
        var arm = Arm64UnderEmulation.Run(PublishedRuntime.Executable("linux-arm64"),
            ["check", "--policy", model, "--evaluate", observations, "--write-actions", armActions], Generous);
        output.WriteLine(arm.StandardOutput + arm.StandardError);

        Assert.Equal(0, x64.ExitCode);
        Assert.Equal(0, arm.ExitCode);
        var expected = MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(x64Actions)).ToArray();
        var actual = MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(armActions)).ToArray();
        Assert.Equal(1000 * 2, expected.Length);
        Assert.Equal(expected.Length, actual.Length);
        var maxDifference = expected.Zip(actual, (a, b) => Math.Abs(a - b)).Max();
        output.WriteLine($"max |x64 - arm64| = {maxDifference:E2}");
        Assert.InRange(maxDifference, 0, 1e-6);
    }

    [Fact]
    public void The_arm64_program_completes_a_handshake_over_a_pseudo_terminal()
    {
        Assert.Null(Arm64UnderEmulation.Problem());
        using var robot = new EmulatedRobot("cartpole-balance", new EmulatorOptions { Seed = 41 });

        var result = Arm64UnderEmulation.Run(PublishedRuntime.Executable("linux-arm64"),
            ["check", "--policy", trained.PolicyPath, "--link", $"serial:{robot.DevicePath}", "--handshake-timeout", "10"], Generous);
        robot.Stop();
        output.WriteLine(result.StandardOutput + result.StandardError);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("robot          'cartpole'", result.StandardOutput);
        Assert.Contains("contract       matches", result.StandardOutput);
    }
}
