using System.Diagnostics;
using Robotics.Contract.Environments;
using Robotics.SimBridge;
using Robotics.SimBridge.Client;
using Robotics.SimBridge.Hosting;
using Robotics.SimBridge.Protocol;
using Robotics.SimBridge.Security;

namespace Robotics.Cli.Tests;

/// <summary><c>robotics keys</c> and <c>robotics sim-bridge --curve-key --allow-clients</c>, as an operator uses them.</summary>
[Collection(NetMqCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SimBridgeKeysTests : IDisposable
{
    private static readonly string Program = Path.Combine(AppContext.BaseDirectory, "robotics");
    private readonly string folder = Directory.CreateTempSubdirectory("robotics-cli-keys-").FullName;

    [Fact]
    public void Keys_made_by_the_command_line_let_the_allowed_trainer_step_a_bridge_and_refuse_another()
    {
        Assert.Equal(0, Run("keys", "--out", Path.Combine(folder, "bridge")).ExitCode);
        Assert.Equal(0, Run("keys", "--out", Path.Combine(folder, "trainer")).ExitCode);
        Assert.Equal(0, Run("keys", "--out", Path.Combine(folder, "stranger")).ExitCode);
        string allowed = Path.Combine(folder, "clients");
        File.Copy(Path.Combine(folder, "trainer.pub"), allowed);
        var bridgeKey = KeyFiles.ReadPublic(Path.Combine(folder, "bridge.pub"), "bridge key");
        var trainer = new CurveClientKeys(bridgeKey, KeyFiles.ReadSecret(Path.Combine(folder, "trainer.key"), "trainer key"));
        var stranger = trainer with { Client = KeyFiles.ReadSecret(Path.Combine(folder, "stranger.key"), "stranger key") };

        using var bridge = LocalBridge.StartProcess(Program,
            extraArguments: ["--threads", "1", "--curve-key", Path.Combine(folder, "bridge.key"), "--allow-clients", allowed],
            helloKeys: trainer);
        using (var client = BridgeClient.Open(bridge.Endpoint, new MakeRequest { Task = "cartpole-balance", NumEnvs = 2 }, new BridgeClientOptions { Keys = trainer }))
        {
            var step = new VectorStep(2, client.Spec.ObservationSize);
            client.Reset(3, step);
            client.Step(new float[2 * client.Spec.ActionSize], step);
            Assert.All(step.Rewards, reward => Assert.True(float.IsFinite(reward)));
            Assert.Contains(step.Observations, x => x != 0);
        }

        var refused = Assert.Throws<BridgeException>(() => BridgeClient.Connect(bridge.Endpoint, new BridgeClientOptions { Keys = stranger }));
        Assert.Equal(BridgeErrorCode.Unauthorized, refused.Code);
        Assert.Contains($"client key {stranger.Client.PublicKeyZ85} is not allowed on this bridge", refused.Message);
    }

    [Fact]
    public void Bridges_status_with_a_trainer_key_reads_a_bridge_with_keys_which_stays_silent_without_one()
    {
        Assert.Equal(0, Run("keys", "--out", Path.Combine(folder, "bridge")).ExitCode);
        Assert.Equal(0, Run("keys", "--out", Path.Combine(folder, "trainer")).ExitCode);
        string bridgePub = Path.Combine(folder, "bridge.pub");
        string trainerKey = Path.Combine(folder, "trainer.key");
        var trainer = new CurveClientKeys(KeyFiles.ReadPublic(bridgePub, "bridge key"), KeyFiles.ReadSecret(trainerKey, "trainer key"));
        using var bridge = LocalBridge.StartProcess(Program,
            extraArguments: ["--threads", "1", "--curve-key", Path.Combine(folder, "bridge.key"), "--allow-clients", Path.Combine(folder, "trainer.pub")],
            helloKeys: trainer);

        var withKeys = Run("bridges", "status", "--timeout", "10", "--bridge-key", bridgePub, "--client-key", trainerKey, bridge.Endpoint);
        var withoutKeys = Run("bridges", "status", "--timeout", "1", bridge.Endpoint);
        var halfKeys = Run("bridges", "status", "--bridge-key", bridgePub, bridge.Endpoint);

        Assert.Equal(0, withKeys.ExitCode);
        Assert.Contains($"{bridge.Endpoint}  robotics sim-bridge", withKeys.Stdout);
        Assert.Contains("protocol 1", withKeys.Stdout);
        Assert.Equal(1, withoutKeys.ExitCode);
        Assert.Contains($"{bridge.Endpoint}  NOT ANSWERING", withoutKeys.Stdout);
        Assert.Equal(1, halfKeys.ExitCode);
        Assert.Equal("--bridge-key needs --client-key too: this host's secret key file, whose public key the bridges allow", halfKeys.Stderr.Trim());
    }

    [Fact]
    public void A_bridge_beyond_loopback_without_keys_is_refused_and_says_how_to_give_it_keys()
    {
        var (exitCode, _, stderr) = Run("sim-bridge", "--bind", "tcp://0.0.0.0:0");

        Assert.Equal(1, exitCode);
        Assert.Contains("Give it keys (--curve-key BRIDGE.key --allow-clients FILE", stderr);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [Fact]
    public void Key_mistakes_are_one_line_each_and_exit_1()
    {
        Assert.Equal(0, Run("keys", "--out", Path.Combine(folder, "bridge")).ExitCode);
        string key = Path.Combine(folder, "bridge.key");

        var existing = Run("keys", "--out", Path.Combine(folder, "bridge"));
        var noAllowList = Run("sim-bridge", "--bind", "tcp://0.0.0.0:0", "--curve-key", key);
        var missingAllowList = Run("sim-bridge", "--bind", "tcp://0.0.0.0:0", "--curve-key", key, "--allow-clients", Path.Combine(folder, "none"));
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        var readable = Run("sim-bridge", "--bind", "tcp://0.0.0.0:0", "--curve-key", key, "--allow-clients", Path.Combine(folder, "bridge.pub"));

        Assert.Contains("already exists; keys are never overwritten", existing.Stderr);
        Assert.Contains("--curve-key needs --allow-clients FILE too", noAllowList.Stderr);
        Assert.Contains("does not exist", missingAllowList.Stderr);
        Assert.Contains($"can be read by other users; make it private with: chmod 600 {key}", readable.Stderr);
        foreach (var run in new[] { existing, noAllowList, missingAllowList, readable })
        {
            Assert.Equal(1, run.ExitCode);
            Assert.Single(run.Stderr.Trim().Split('\n'));
        }
    }

    private static (int ExitCode, string Stdout, string Stderr) Run(params string[] args)
    {
        var start = new ProcessStartInfo(Program) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(1)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"robotics {string.Join(' ', args)} did not finish within a minute");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    public void Dispose()
    {
        NetMQ.NetMQConfig.Cleanup(block: false);
        Directory.Delete(folder, recursive: true);
    }
}
