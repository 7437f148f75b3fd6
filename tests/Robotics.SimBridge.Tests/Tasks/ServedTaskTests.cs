using System.Diagnostics;
using Robotics.Contract.Environments;
using Robotics.Sim.Tasks;
using Robotics.SimBridge.Client;
using Robotics.SimBridge.Hosting;
using Robotics.SimBridge.Protocol;
using Robotics.SimBridge.Server;
using Robotics.SimBridge.Tasks;
using Robotics.SimBridge.Tests.Fakes;

namespace Robotics.SimBridge.Tests.Tasks;

/// <summary>A client can only make the tasks the bridge's operator offers, whatever path it names.</summary>
[Collection(BridgeCollection.Name)]
public sealed class ServedTaskTests : IDisposable
{
    private const string Secret = "root:$6$not-for-clients";
    private readonly string root = Directory.CreateTempSubdirectory("served-tasks-").FullName;
    private readonly string served;
    private readonly string secretFile;
    private readonly LocalBridge bridge;
    private readonly RawDealer raw;

    public ServedTaskTests()
    {
        served = Directory.CreateDirectory(Path.Combine(root, "served")).FullName;
        secretFile = Path.Combine(root, "secret.yaml");
        File.WriteAllText(secretFile, Secret + "\n");
        File.Copy(CatalogueTask("cartpole-balance"), Path.Combine(served, "my-cartpole.yaml"));
        bridge = LocalBridge.StartInProcess(new SimEnvFactory(threads: 1, ServedTasks.From([served])));
        raw = new RawDealer(bridge.Endpoint);
    }

    [Theory]
    [InlineData("/dev/zero")]
    [InlineData("/etc/shadow")]
    [InlineData("/etc/passwd")]
    public void Absolute_paths_are_refused_without_opening_them(string path)
    {
        var reply = Make(path);

        Assert.Equal(BridgeErrorCode.ConfigError, reply.Error);
        Assert.Contains("absolute path", reply.Message);
        AssertStillServing();
    }

    [Theory]
    [InlineData("../secret.yaml")]
    [InlineData("../secret")]
    [InlineData("sub/../../secret.yaml")]
    [InlineData("./my-cartpole.yaml")]
    public void Dot_dot_and_dot_segments_are_refused(string name)
    {
        var reply = Make(name);

        Assert.Equal(BridgeErrorCode.ConfigError, reply.Error);
        Assert.Contains("'..'", reply.Message);
        Assert.DoesNotContain(Secret, reply.Message);
    }

    [Fact]
    public void A_symlink_out_of_the_served_folder_is_refused_and_its_target_never_quoted()
    {
        File.CreateSymbolicLink(Path.Combine(served, "shadow.yaml"), secretFile);

        var reply = Make("shadow");

        Assert.Equal(BridgeErrorCode.ConfigError, reply.Error);
        Assert.Contains("leads out of the folder", reply.Message);
        Assert.DoesNotContain(Secret, reply.Message);
    }

    [Fact]
    public void A_symlink_to_a_device_inside_the_folder_is_not_read()
    {
        File.CreateSymbolicLink(Path.Combine(served, "zero.yaml"), "/dev/zero");

        var reply = Make("zero");

        Assert.Equal(BridgeErrorCode.ConfigError, reply.Error);
        Assert.Contains("leads out of the folder", reply.Message);
        AssertStillServing();
    }

    [Fact]
    public void A_fifo_in_the_served_folder_is_refused_without_blocking_the_bridge()
    {
        string fifo = Path.Combine(served, "fifo.yaml");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
        {
            mkfifo.WaitForExit();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var reply = Make("fifo");

        Assert.Equal(BridgeErrorCode.ConfigError, reply.Error);
        Assert.Contains("not a regular file", reply.Message);
        AssertStillServing();
    }

    [Fact]
    public void A_file_above_the_size_cap_is_refused_before_it_is_read()
    {
        File.WriteAllBytes(Path.Combine(served, "huge.yaml"), new byte[ServedTasks.MaxFileBytes + 1]);

        var reply = Make("huge");

        Assert.Equal(BridgeErrorCode.ConfigError, reply.Error);
        Assert.Contains("limit for task files", reply.Message);
    }

    [Fact]
    public void A_served_file_that_fails_to_load_is_not_quoted_back()
    {
        File.WriteAllText(Path.Combine(served, "broken.yaml"), Secret + "\nrobot: [\n");

        var reply = Make("broken");

        Assert.Equal(BridgeErrorCode.ConfigError, reply.Error);
        Assert.Contains("the bridge's log says why", reply.Message);
        Assert.DoesNotContain("not-for-clients", reply.Message);
    }

    [Fact]
    public void A_huge_task_name_is_quoted_capped()
    {
        var reply = Make(new string('a', 5_000_000));

        Assert.Equal(BridgeErrorCode.ConfigError, reply.Error);
        Assert.True(reply.Message.Length < 400, $"the reply quotes {reply.Message.Length} characters");
    }

    [Fact]
    public void An_unknown_name_lists_the_offered_tasks()
    {
        var reply = Make("no-such-task");

        Assert.Equal(BridgeErrorCode.ConfigError, reply.Error);
        Assert.Contains("my-cartpole", reply.Message);
        Assert.Contains("cartpole-balance", reply.Message);
    }

    [Fact]
    public void Tasks_of_the_served_folder_and_the_catalogue_are_made()
    {
        foreach (string name in new[] { "my-cartpole", "my-cartpole.yaml", "cartpole-balance" })
        {
            using var client = BridgeClient.Open(bridge.Endpoint, new MakeRequest { Task = name, NumEnvs = 2 }, Patient);
            Assert.Equal(2, client.Spec.NumEnvs);
        }
    }

    [Fact]
    public void A_trainer_names_its_task_file_outside_the_catalogue_by_file_name()
    {
        string taskFile = Path.Combine(served, "my-cartpole.yaml");

        Assert.Equal("my-cartpole.yaml", TaskOnBridge.Name(taskFile));
        Assert.Equal(served, TaskOnBridge.Folder(taskFile));
        Assert.Null(TaskOnBridge.Folder("cartpole-balance"));
        using var client = BridgeClient.Open(bridge.Endpoint, new MakeRequest { Task = TaskOnBridge.Name(taskFile), NumEnvs = 1 }, Patient);
        Assert.Equal(1, client.Spec.NumEnvs);
    }

    [Fact]
    public void A_folder_that_does_not_exist_cannot_be_served()
    {
        var error = Assert.Throws<BridgeException>(() => ServedTasks.From([Path.Combine(root, "missing")]));
        Assert.Contains("no such folder", error.Message);
    }

    private static readonly BridgeClientOptions Patient = new() { Timeout = TimeSpan.FromSeconds(30) };

    private static string CatalogueTask(string name) =>
        Path.Combine(TaskCatalog.BuiltInConfigDirectory() ?? throw new InvalidOperationException("no configs folder found"), "tasks", name + ".yaml");

    private RawDealer.Reply Make(string task) => raw.Request(BridgeMessageType.Make, new MakeRequest { Task = task, NumEnvs = 1 });

    private void AssertStillServing()
    {
        using var client = BridgeClient.Open(bridge.Endpoint, new MakeRequest { Task = "my-cartpole", NumEnvs = 1 }, Patient);
        var step = new VectorStep(1, client.Spec.ObservationSize);
        client.Reset(3, step);
        client.Step(new float[client.Spec.ActionSize], step);
    }

    public void Dispose()
    {
        raw.Dispose();
        bridge.Dispose();
        Directory.Delete(root, recursive: true);
    }
}
