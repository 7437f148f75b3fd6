using Xunit.Abstractions;

namespace Robotics.Cli.Tests.OwnFiles;

/// <summary>A task and robot kept outside configs/, through train, eval, export, run and emulate, started from other folders.</summary>
[Collection(OwnFilesCollection.Name)]
public sealed class TaskOutsideConfigsTests(ITestOutputHelper output) : IDisposable
{
    private readonly UserFolder user = new();

    public void Dispose() => user.Dispose();

    private RoboticsProcess.Result Robotics(string workingDirectory, params string[] args)
    {
        var result = RoboticsProcess.Run(workingDirectory, null, args);
        output.WriteLine($"$ robotics {string.Join(' ', args)}   (in {workingDirectory})\n{result}");
        return result;
    }

    [Fact]
    public void A_run_of_a_task_file_trains_from_another_folder_and_evaluates_exports_and_runs_from_a_third()
    {
        var train = Robotics(user.Elsewhere, "train", "--config", user.TrainingConfig);

        Assert.True(train.ExitCode == 0, train.ToString());
        // Named after the task's name:, in runs/ of the folder train started in.
        string run = Path.Combine(user.Elsewhere, "runs", "my-balance-ppo-seed1");
        Assert.True(File.Exists(Path.Combine(run, "policy.ckpt")), train.ToString());
        Assert.Contains($"task: {user.TaskFile}", File.ReadAllText(Path.Combine(run, "config.yaml")));

        var eval = Robotics(user.SomewhereElse, "eval", run, "--episodes", "2");
        Assert.True(eval.ExitCode == 0, eval.ToString());
        Assert.Contains("return", eval.Stdout);

        string model = Path.Combine(user.SomewhereElse, "policy.onnx");
        var export = Robotics(user.SomewhereElse, "export", run, "--out", model);
        Assert.True(export.ExitCode == 0, export.ToString());

        // The model's task is not in any catalogue: eval says which task and what to pass.
        var evalModel = Robotics(user.SomewhereElse, "eval", model, "--episodes", "2");
        Assert.Equal(1, evalModel.ExitCode);
        Assert.Contains("'my-balance'", evalModel.Stderr);
        Assert.Contains("--task PATH", evalModel.Stderr);
        Assert.DoesNotContain("   at ", evalModel.Stderr);

        var evalModelWithTask = Robotics(user.SomewhereElse, "eval", model, "--task", user.TaskFile, "--episodes", "2");
        Assert.True(evalModelWithTask.ExitCode == 0, evalModelWithTask.ToString());
        Assert.Contains("on " + user.TaskFile, evalModelWithTask.Stdout);

        // The simulated robot from its robot file, which is read as a robot, not as a task.
        var drive = Robotics(user.SomewhereElse, "run", "--policy", model, "--sim", user.RobotFile, "--duration", "0.5", "--telemetry", Path.Combine(user.SomewhereElse, "telemetry.csv"));
        Assert.DoesNotContain("unknown key", drive.Stderr);
        Assert.Contains("driving 'pole'", drive.Stderr);
        Assert.NotEqual(1, drive.ExitCode);

        // Without --telemetry the records go to the user's state folder, not into the current directory (often a checkout).
        string state = Path.Combine(user.Root, "state");
        var undirected = RoboticsProcess.Run(user.SomewhereElse, new Dictionary<string, string?> { ["XDG_STATE_HOME"] = state },
            "run", "--policy", model, "--sim", user.RobotFile, "--duration", "0.3");
        output.WriteLine(undirected.ToString());
        Assert.NotEqual(1, undirected.ExitCode);
        var written = Assert.Single(Directory.GetFiles(Path.Combine(state, "robotics", "deploy"), "telemetry.csv", SearchOption.AllDirectories));
        Assert.Contains(written, undirected.Stdout + undirected.Stderr);
        Assert.False(Directory.Exists(Path.Combine(user.SomewhereElse, "runs")));
    }

    [Fact]
    public void A_policy_is_evaluated_on_another_task_of_its_robot_and_refused_on_one_it_cannot_read()
    {
        // The twin of a task, shoved about: the same robot, observations and actions under another name, as a policy
        // trained without randomization is judged under the randomization of the task that has it.
        string shoved = user.WriteTask("pole-shoved", File.ReadAllText(user.TaskFile).Replace("name: my-balance", "name: my-balance-shoved")
            + "randomization:\n  push: { force: [1, 2], interval: [0.5, 1], duration: 0.1 }\n");
        string blind = user.WriteTask("pole-blind", File.ReadAllText(user.TaskFile).Replace("name: my-balance", "name: my-balance-blind")
            .Replace("  - joint_velocities ", "  # - joint_velocities "));
        var train = Robotics(user.Elsewhere, "train", "--config", user.TrainingConfig);
        Assert.True(train.ExitCode == 0, train.ToString());
        string run = Path.Combine(user.Elsewhere, "runs", "my-balance-ppo-seed1");

        var onShoved = Robotics(user.SomewhereElse, "eval", run, "--task", shoved, "--randomize", "--episodes", "2", "--json");
        Assert.True(onShoved.ExitCode == 0, onShoved.ToString());
        Assert.Contains("\"evaluated_on\"", onShoved.Stdout);
        Assert.Contains("pole-shoved.yaml", onShoved.Stdout);

        string model = Path.Combine(user.SomewhereElse, "policy.onnx");
        Assert.Equal(0, Robotics(user.SomewhereElse, "export", run, "--out", model).ExitCode);
        var modelOnShoved = Robotics(user.SomewhereElse, "eval", model, "--task", shoved, "--randomize", "--episodes", "2");
        Assert.True(modelOnShoved.ExitCode == 0, modelOnShoved.ToString());

        var onBlind = Robotics(user.SomewhereElse, "eval", run, "--task", blind, "--episodes", "2");
        Assert.Equal(1, onBlind.ExitCode);
        Assert.Contains("does not fit the policy trained on", onBlind.Stderr);
        Assert.Contains("observations", onBlind.Stderr);
        Assert.DoesNotContain("   at ", onBlind.Stderr);
        var modelOnBlind = Robotics(user.SomewhereElse, "eval", model, "--task", blind, "--episodes", "2");
        Assert.Equal(1, modelOnBlind.ExitCode);
        Assert.Contains("observations", modelOnBlind.Stderr);
    }

    [Fact]
    public void Emulate_takes_a_robot_file_and_runs_the_robot_alone()
    {
        var emulate = Robotics(user.Elsewhere, "emulate", "--robot", user.RobotFile, "--duration", "0.2");

        Assert.True(emulate.ExitCode == 0, emulate.ToString());
        Assert.Contains("emulating pole (task pole (robot alone)", emulate.Stderr);
        Assert.StartsWith("/dev/", emulate.Stdout.Trim());
    }

    [Fact]
    public void Emulate_takes_a_task_file_and_starts_the_robot_as_that_task_does()
    {
        var emulate = Robotics(user.Elsewhere, "emulate", "--robot", user.TaskFile, "--duration", "0.2");

        Assert.True(emulate.ExitCode == 0, emulate.ToString());
        Assert.Contains("emulating pole (task my-balance", emulate.Stderr);
    }

    [Fact]
    public void A_robot_that_only_an_outside_task_uses_is_emulated_by_name_alone()
    {
        // Robot "pole" is found by name through ROBOTICS_CONFIG_DIR, but its only task is a file no catalogue lists.
        var emulate = RoboticsProcess.Run(user.Elsewhere, new Dictionary<string, string?> { ["ROBOTICS_CONFIG_DIR"] = UserRobotsOnly() }, "emulate", "--robot", "pole", "--duration", "0.2");
        output.WriteLine(emulate.ToString());

        Assert.True(emulate.ExitCode == 0, emulate.ToString());
        Assert.Contains("emulating pole (task pole (robot alone)", emulate.Stderr);
    }

    [Fact]
    public void A_randomized_body_the_model_lacks_stops_train_naming_the_task_file_and_leaves_no_run_folder()
    {
        string task = user.WriteTask("heavy", File.ReadAllText(user.TaskFile).Replace("name: my-balance", "name: heavy")
            + "randomization:\n  body_mass: { scale: [0.9, 1.1], bodies: [wheel] }\n");
        File.WriteAllText(user.TrainingConfig, File.ReadAllText(user.TrainingConfig).Replace("pole-balance.yaml", "heavy.yaml"));

        var contract = Robotics(user.Elsewhere, "contract", task);
        Assert.Equal(1, contract.ExitCode);
        Assert.Contains(task, contract.Stderr);
        Assert.Contains("wheel", contract.Stderr);

        var train = Robotics(user.Elsewhere, "train", "--config", user.TrainingConfig);
        Assert.Equal(1, train.ExitCode);
        Assert.Contains(task, train.Stderr);
        Assert.Contains("randomization.body_mass.bodies", train.Stderr);
        Assert.DoesNotContain("   at ", train.Stderr);
        Assert.False(Directory.Exists(Path.Combine(user.Elsewhere, "runs")), "a failed start left a run folder behind");
    }

    /// <summary>A configuration folder with the user's robot and no tasks: no known task uses robot "pole".</summary>
    private string UserRobotsOnly()
    {
        string folder = Path.Combine(user.Root, "robots-only");
        Directory.CreateDirectory(Path.Combine(folder, "robots"));
        File.Copy(user.RobotFile, Path.Combine(folder, "robots", "pole.yaml"));
        File.Copy(Path.Combine(user.Root, "robots", "cartpole.xml"), Path.Combine(folder, "robots", "cartpole.xml"));
        return folder;
    }
}
