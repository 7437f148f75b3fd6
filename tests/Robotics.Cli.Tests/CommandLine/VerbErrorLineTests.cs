namespace Robotics.Cli.Tests.CommandLine;

/// <summary>Verbs that read a user's file say what is wrong with it in one line and exit 1, as every other verb does.</summary>
public sealed class VerbErrorLineTests
{
    [Fact]
    public void Bench_loop_with_a_missing_model_is_one_line_and_exit_code_1()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-policy-{Guid.NewGuid():N}.onnx");

        var result = RoboticsProcess.Run(Repository.Root, null, "bench", "loop", "--policy", missing, "--seconds", "1");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"robotics bench loop: {missing}: no such file. Pass the .onnx file written by 'robotics export'.", result.Stderr.Trim());
        Assert.DoesNotContain("   at ", result.Stderr);
    }

    [Fact]
    public void Bench_inference_with_no_calls_is_one_line_and_exit_code_1()
    {
        var result = RoboticsProcess.Run(Repository.Root, null, "bench", "inference", "--calls", "0");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("robotics bench inference: --calls must be positive, got 0", result.Stderr.Trim());
    }
}
