using System.Globalization;
using System.Text.RegularExpressions;
using Robotics.Cli.Quickstart;
using Robotics.Cli.Tests.HardwareInTheLoop;
using Robotics.FirmwareInterface.Transport;
using Robotics.RobotEmulator;
using Xunit.Abstractions;

namespace Robotics.Cli.Tests.PublishedRuntime;

/// <summary>The published x64 robot program, started as its own process, against the emulated robot over a pseudo-terminal.</summary>
[Collection(HardwareInTheLoopCollection.Name)]
public sealed class PublishedRuntimeTests(TrainedCartpolePolicy trained, ITestOutputHelper output)
{
    private const string Rid = "linux-x64";
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    [Fact]
    public void A_missing_model_is_one_line_and_exit_code_1()
    {
        var missing = Path.Combine(trained.Directory, "no-such-policy.onnx");

        var result = RunProgram(["run", "--policy", missing, "--link", "loopback"]);

        AssertOneLineRefusal(result, missing);
    }

    [Fact]
    public void A_corrupted_model_is_one_line_and_exit_code_1()
    {
        var corrupted = Path.Combine(trained.Directory, "corrupted.onnx");
        var bytes = File.ReadAllBytes(trained.PolicyPath);
        new Random(3).NextBytes(bytes.AsSpan(0, bytes.Length / 2));
        File.WriteAllBytes(corrupted, bytes);

        var result = RunProgram(["run", "--policy", corrupted, "--link", "loopback"]);

        AssertOneLineRefusal(result, corrupted);
    }

    [Fact]
    public void An_unknown_link_is_one_line_naming_the_known_ones()
    {
        var result = RunProgram(["run", "--policy", trained.PolicyPath, "--link", "can:can0"]);

        AssertOneLineRefusal(result, "can:can0");
        Assert.Contains("serial:", result.StandardError);
    }

    [Fact]
    public void A_port_that_does_not_exist_is_one_line_and_exit_code_1()
    {
        var missing = Path.Combine(trained.Directory, "no-such-device");

        var result = RunProgram(["run", "--policy", trained.PolicyPath, "--link", $"serial:{missing}"]);

        AssertOneLineRefusal(result, missing);
    }

    [Fact]
    public void A_wrong_baud_rate_is_one_line_and_nothing_is_commanded()
    {
        using var robot = new EmulatedRobot("cartpole-balance", new EmulatorOptions { Seed = 32, BaudRate = 921_600 });

        var result = RunProgram(["run", "--policy", trained.PolicyPath, "--link", $"serial:{robot.DevicePath}?baud=115200", "--duration", "5"]);
        robot.Stop();

        AssertOneLineRefusal(result, "115200");
        Assert.Equal(0, robot.Emulator.Link.CommandsReceived);
    }

    [Fact]
    public void A_port_another_program_holds_is_one_line_and_nothing_is_commanded()
    {
        using var robot = new EmulatedRobot("cartpole-balance", new EmulatorOptions { Seed = 35 });
        ProcessResult result;
        using (SerialDevice.Open(robot.DevicePath, SerialLink.DefaultBaudRate))
            result = RunProgram(["run", "--policy", trained.PolicyPath, "--link", $"serial:{robot.DevicePath}", "--duration", "5"]);
        robot.Stop();

        AssertOneLineRefusal(result, $"'{robot.DevicePath}' is busy");
        Assert.False(robot.Emulator.Link.Linked, "not even a handshake reached the robot");
        Assert.Equal(0, robot.Emulator.Link.CommandsReceived);
    }

    /// <summary>
    /// The program as a user copies it drives the emulated cartpole for 10 s with its defaults (state watchdog 5
    /// periods included), and its own telemetry shows the pole upright throughout. The robot runs in lockstep, so
    /// a loaded test machine slows the run down instead of failing it; it waits upright for the handshake.
    /// </summary>
    [Fact]
    public void The_published_program_keeps_the_emulated_cartpole_balanced_for_10_s()
    {
        const double poleAngleBound = 0.2094; // tilt termination of configs/tasks/cartpole-balance.yaml (12°)
        using var robot = new EmulatedRobot("cartpole-balance", new EmulatorOptions { Seed = 36, Lockstep = true });
        var telemetry = Path.Combine(trained.Directory, $"published-balance-{Guid.NewGuid():N}.csv");

        var result = RunProgram(["run", "--policy", trained.PolicyPath, "--link", $"serial:{robot.DevicePath}", "--duration", "10", "--telemetry", telemetry]);
        robot.Stop();
        output.WriteLine(result.StandardError);
        output.WriteLine(result.StandardOutput);

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(new Regex(@"stopped\s+duration_elapsed\s*$", RegexOptions.Multiline), result.StandardOutput);
        var rows = File.ReadLines(telemetry).Select(line => line.Split(',')).ToList();
        var hinge = Array.IndexOf(rows[0], "q_hinge");
        Assert.True(hinge >= 0, $"no q_hinge column in {string.Join(",", rows[0])}");
        var time = Array.IndexOf(rows[0], "time_s");
        var angles = rows.Skip(1).Select(r => double.Parse(r[hinge], CultureInfo.InvariantCulture)).ToList();
        var span = double.Parse(rows[^1][time], CultureInfo.InvariantCulture) - double.Parse(rows[1][time], CultureInfo.InvariantCulture);
        output.WriteLine($"{angles.Count} telemetry rows over {span:F2} s, max |hinge| {angles.Max(Math.Abs):F4} rad");
        Assert.True(span >= 10, $"the telemetry covers {span:F2} s of driving and ramping down, not the 10 s asked for");
        Assert.InRange(angles.Max(Math.Abs), 0, poleAngleBound);
        Assert.True(robot.Emulator.Link.CommandsReceived > 0);
    }

    [Fact]
    public void A_model_for_another_robot_is_refused_and_nothing_is_commanded()
    {
        using var robot = new EmulatedRobot("reacher", new EmulatorOptions { Seed = 33 });

        var result = RunProgram(["run", "--policy", trained.PolicyPath, "--link", $"serial:{robot.DevicePath}", "--duration", "5"]);
        robot.Stop();
        output.WriteLine(result.StandardError);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("robotics-runtime run: the policy's contract differs from the robot's", result.ErrorLines[0]);
        Assert.Contains("reacher", result.StandardError);
        Assert.DoesNotContain("   at ", result.StandardError);
        Assert.Equal(0, robot.Emulator.Link.CommandsReceived);
    }

    [Fact]
    public void Check_with_a_link_does_the_handshake_and_says_the_contract_matches()
    {
        using var robot = new EmulatedRobot("cartpole-balance", new EmulatorOptions { Seed = 34 });

        var result = RunProgram(["check", "--policy", trained.PolicyPath, "--link", $"serial:{robot.DevicePath}"]);
        robot.Stop();
        output.WriteLine(result.StandardOutput);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("robot          'cartpole'", result.StandardOutput);
        Assert.Contains("contract       matches", result.StandardOutput);
        Assert.Equal(0, robot.Emulator.Link.CommandsReceived);
    }

    [Fact]
    public void Check_refuses_a_policy_whose_observations_the_robot_cannot_supply_though_the_contracts_match()
    {
        // The reacher observes body and site positions, which exist only in simulation: the contracts match, and
        // check once said "may drive" where run then refused.
        string folder = Directory.CreateTempSubdirectory("robotics-check-").FullName;
        try
        {
            string run = Path.Combine(folder, "run"), model = Path.Combine(folder, "reacher.onnx");
            var train = RoboticsProcess.Run(folder, null, "train", "--config", Path.Combine(Repository.Root, "configs", "training", "reacher-ppo.yaml"), "--in-process", "--total-steps", "2000", "--out", run);
            Assert.True(train.ExitCode == 0, train.ToString());
            var export = RoboticsProcess.Run(folder, null, "export", run, "--out", model);
            Assert.True(export.ExitCode == 0, export.ToString());
            using var robot = new EmulatedRobot("reacher", new EmulatorOptions { Seed = 35 });

            var result = RunProgram(["check", "--policy", model, "--link", $"serial:{robot.DevicePath}"]);
            robot.Stop();
            output.WriteLine(result.StandardOutput + result.StandardError);

            Assert.Equal(2, result.ExitCode);
            Assert.DoesNotContain("may drive", result.StandardOutput);
            Assert.StartsWith("robotics-runtime check: the contracts match, but 'run' would refuse this policy:", result.ErrorLines[0]);
            Assert.Contains("exists only in simulation", result.ErrorLines[0]);
            Assert.Equal(0, robot.Emulator.Link.CommandsReceived);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private ProcessResult RunProgram(IReadOnlyList<string> arguments) =>
        PublishedRuntime.Run(PublishedRuntime.Executable(Rid), arguments, Generous);

    private void AssertOneLineRefusal(ProcessResult result, string mentions)
    {
        output.WriteLine(result.StandardError);
        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("robotics-runtime run: ", line);
        Assert.Contains(mentions, line);
        Assert.Equal("", result.StandardOutput.Trim());
    }
}
