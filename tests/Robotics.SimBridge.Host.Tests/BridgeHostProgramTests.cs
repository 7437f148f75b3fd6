using System.Diagnostics;
using NetMQ;
using Robotics.Contract.Environments;
using Robotics.SimBridge.Client;
using Robotics.SimBridge.Hosting;
using Robotics.SimBridge.Protocol;
using Robotics.SimBridge.Server;

namespace Robotics.SimBridge.Host.Tests;

/// <summary>The built robotics-sim-bridge program, started as a bridge host starts it.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class BridgeHostProgramTests : IDisposable
{
    private static readonly string Program = Path.Combine(AppContext.BaseDirectory, "robotics-sim-bridge");

    [Fact]
    public void The_program_serves_cartpole_Make_Reset_Step_with_the_numbers_of_an_in_process_bridge()
    {
        var make = new MakeRequest { Task = "cartpole-balance", NumEnvs = 2 };
        using var program = LocalBridge.StartProcess(Program, extraArguments: ["--threads", "1"], verb: null);
        using var inProcess = LocalBridge.StartInProcess(new SimEnvFactory(threads: 1));

        var (served, spec) = ResetAndStep(program.Endpoint, make);
        var (expected, _) = ResetAndStep(inProcess.Endpoint, make);

        Assert.Equal(4, spec.ObservationSize);
        Assert.Equal(1, spec.ActionSize);
        Assert.All(served.Rewards, reward => Assert.True(float.IsFinite(reward)));
        Assert.Contains(served.Observations, x => x != 0);
        Assert.Equal(expected.Observations, served.Observations);
        Assert.Equal(expected.Rewards, served.Rewards);
    }

    [Fact]
    public void A_mistake_in_its_options_is_one_line_and_exit_code_1()
    {
        var (exitCode, _, stderr) = Run("--envs", "0", "--threads", "1");

        Assert.Equal(1, exitCode);
        Assert.Equal("--envs (0) and --threads (1) must be at least 1", stderr.Trim());
    }

    [Fact]
    public void Its_help_names_the_bridge_options_without_a_verb()
    {
        var (exitCode, stdout, _) = Run("--help");

        Assert.Equal(0, exitCode);
        Assert.Contains("robotics-sim-bridge [options]", stdout);
        foreach (string option in new[] { "--bind", "--envs", "--threads", "--tasks", "--max-sessions", "--max-frame-bytes", "--curve-key", "--allow-clients", "--insecure", "--stop-on-stdin-eof", "--quiet", "--explain-task-errors" })
        {
            Assert.Contains(option, stdout);
        }
    }

    [Fact]
    public void A_bridge_its_parent_owns_goes_on_serving_through_a_Ctrl_C_and_stops_when_the_parent_closes_its_input()
    {
        // env resets SIGINT to its default: a shell running the tests in the background hands its children SIGINT ignored.
        using var owned = LocalBridge.StartProcess("env", ["--default-signal=INT", Program], ["--threads", "1"], verb: null);
        using var process = Process.GetProcessById(owned.ProcessId!.Value);

        Signal("INT", process.Id); // what the terminal sends the trainer's whole process group on Ctrl-C

        Assert.False(process.WaitForExit(TimeSpan.FromSeconds(3)), "the bridge stopped on Ctrl-C while its parent was still stepping");
        var (step, _) = ResetAndStep(owned.Endpoint, new MakeRequest { Task = "cartpole-balance", NumEnvs = 2 });
        Assert.Contains(step.Observations, x => x != 0);

        owned.Dispose(); // closes its standard input
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)), "the bridge did not stop when its input closed");
    }

    [Fact]
    public void A_bridge_its_parent_owns_still_stops_in_order_on_SIGTERM()
    {
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var owned = LocalBridge.StartProcess(Program, extraArguments: ["--threads", "1"], log: log.Enqueue, verb: null);
        using var process = Process.GetProcessById(owned.ProcessId!.Value);

        Signal("TERM", process.Id);

        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)), "SIGTERM did not stop the bridge");
        Assert.True(SpinWait.SpinUntil(() => log.Contains("[sim-bridge] stopped"), TimeSpan.FromSeconds(10)), string.Join('\n', log));
    }

    public void Dispose() => NetMQConfig.Cleanup(block: false);

    private static void Signal(string signal, int pid)
    {
        using var kill = Process.Start("kill", ["-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>Reset with seed 7, then one step of a fixed push: what a client sees.</summary>
    private static (VectorStep Step, EnvSpec Spec) ResetAndStep(string endpoint, MakeRequest make)
    {
        using var client = BridgeClient.Open(endpoint, make);
        var step = new VectorStep(make.NumEnvs, client.Spec.ObservationSize);
        client.Reset(7, step);
        client.Step(Enumerable.Repeat(0.5f, make.NumEnvs * client.Spec.ActionSize).ToArray(), step);
        return (step, client.Spec);
    }

    private static (int ExitCode, string Stdout, string Stderr) Run(params string[] args)
    {
        var start = new ProcessStartInfo(Program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(1)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"robotics-sim-bridge {string.Join(' ', args)} did not finish within a minute");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
