using Robotics.Cli.Commands;
using Robotics.Contract;
using Robotics.Contract.CommandLine;
using Robotics.Runtime.Policy;
using Robotics.Runtime.Transport;
using Robotics.SimBridge;
using Robotics.Training.Export;
using Robotics.Training.Runner;

namespace Robotics.Cli.Tests.CommandLine;

/// <summary>Every verb turns the errors a user can act on into one line and exit code 1, and lets bugs show their stack trace.</summary>
public sealed class UserErrorsTests
{
    public static TheoryData<Exception, string> KnownErrors() => new()
    {
        { new ConfigException("task.yaml", "joints", "expected a list"), "robotics run: task.yaml: 'joints': expected a list" },
        { new ArgumentException("choose exactly one robot"), "robotics run: choose exactly one robot" },
        { new FormatException("'x' is not a number"), "robotics run: 'x' is not a number" },
        { new InvalidDataException("checksum mismatch"), "robotics run: checksum mismatch" },
        { new System.Text.Json.JsonException("bad contract JSON"), "robotics run: bad contract JSON" },
        { new NotSupportedException("the robot cannot supply base_height"), "robotics run: the robot cannot supply base_height" },
        { new IOException("No space left on device"), "robotics run: No space left on device" },
        { new FileNotFoundException("no such file: policy.onnx"), "robotics run: no such file: policy.onnx" },
        { new DirectoryNotFoundException("no folder runs/x"), "robotics run: no folder runs/x" },
        { new UnauthorizedAccessException("/dev/ttyACM0: permission denied"), "robotics run: /dev/ttyACM0: permission denied" },
        { new PolicyLoadException("policy.onnx: not an ONNX model"), "robotics run: policy.onnx: not an ONNX model" },
        { new RobotLinkException("/dev/ttyACM0 does not answer"), "robotics run: /dev/ttyACM0 does not answer" },
        { new BridgeException("tcp://10.0.0.2:5555 did not answer within 3 s"), "robotics run: tcp://10.0.0.2:5555 did not answer within 3 s" },
        { new TrainingSetupException("device cuda needs the CUDA build"), "robotics run: device cuda needs the CUDA build" },
        { new TrainingAbortedException("every bridge failed", new BridgeException("gone")), "robotics run: every bridge failed" },
        { new OnnxExportException("the ONNX model differs from the policy"), "robotics run: the ONNX model differs from the policy" },
        { new TypeInitializationException("TorchSharp.torch", new DllNotFoundException("libtorch.so: cannot open\nmore")), "robotics run: this needs TorchSharp, whose native library did not load: libtorch.so: cannot open" },
        { new CommandLineException("--episodes must be at least 1"), "--episodes must be at least 1" },
    };

    [Theory]
    [MemberData(nameof(KnownErrors))]
    public void A_known_error_is_one_line_with_the_verb_and_exit_code_1(Exception error, string line)
    {
        var stderr = new StringWriter();

        int code = CliErrors.Known.Run("robotics run", () => throw error, stderr);

        Assert.Equal(ExitCodes.Error, code);
        Assert.Equal(line + Environment.NewLine, stderr.ToString());
    }

    [Fact]
    public void A_contract_mismatch_is_its_message_naming_each_difference_and_exit_code_1()
    {
        var stderr = new StringWriter();

        int code = CliErrors.Known.Run("robotics run", () => throw new ContractMismatchException(["joint 0: 'hinge' against 'slider'"]), stderr);

        Assert.Equal(ExitCodes.Error, code);
        Assert.Equal("robotics run: the policy's contract differs from the robot's; refusing to drive it:\n  joint 0: 'hinge' against 'slider'" + Environment.NewLine, stderr.ToString());
    }

    [Fact]
    public void Without_a_prefix_the_line_is_the_message_alone()
    {
        var stderr = new StringWriter();

        int code = UserErrors.Common.With<BridgeException>().Run(null, () => throw new BridgeException("--curve-key needs --allow-clients FILE too"), stderr);

        Assert.Equal(ExitCodes.Error, code);
        Assert.Equal("--curve-key needs --allow-clients FILE too" + Environment.NewLine, stderr.ToString());
    }

    [Fact]
    public void The_verbs_own_exit_code_passes_through()
    {
        var stderr = new StringWriter();

        Assert.Equal(ExitCodes.Fault, CliErrors.Known.Run("robotics run", () => ExitCodes.Fault, stderr));
        Assert.Equal(3, CliErrors.Known.Run("robotics quickstart", () => 3, stderr));
        Assert.Empty(stderr.ToString());
    }

    [Fact]
    public void A_bug_is_not_swallowed_so_that_its_stack_trace_is_shown()
    {
        var stderr = new StringWriter();

        Assert.Throws<NullReferenceException>(() => CliErrors.Known.Run("robotics run", () => throw new NullReferenceException(), stderr));
        Assert.Throws<InvalidOperationException>(() => CliErrors.Known.Run("robotics run", () => throw new InvalidOperationException("a bug"), stderr));
        Assert.Throws<TypeInitializationException>(() => CliErrors.Known.Run("robotics run", () => throw new TypeInitializationException("Robotics.Foo", null), stderr));
        Assert.Empty(stderr.ToString());
    }

    [Fact]
    public void The_robot_program_knows_the_runtime_errors_but_not_the_training_ones()
    {
        var known = Robotics.Runtime.Deployment.DeploymentErrors.Known;

        Assert.NotNull(known.Describe(new RobotLinkException("gone")));
        Assert.NotNull(known.Describe(new PolicyLoadException("damaged")));
        Assert.NotNull(known.Describe(new IOException("disk full")));
        Assert.Null(known.Describe(new BridgeException("not on a robot")));
    }
}
