using Robotics.Contract;
using Robotics.SimBridge.Hosting;
using Robotics.SimBridge.Server;
using Robotics.SimBridge.Tasks;
using Robotics.Training.Algorithms.A2c;
using Robotics.Training.Algorithms.Reinforce;
using Robotics.Training.Algorithms.Trpo;
using Robotics.Training.Checkpoints;
using Robotics.Training.Monitoring;
using Robotics.Training.Runner;
using static Robotics.Training.Tests.Runner.RunnerTestKit;

namespace Robotics.Training.Tests.Runner;

/// <summary>
/// Critic observations (an asymmetric critic): the value network sees them, the policy and its export do not, and
/// runs with them are checkpointed, resumed and exported like any other.
/// </summary>
public sealed class AsymmetricCriticTests
{
    [Theory]
    [InlineData("ppo")]
    [InlineData("reinforce")]
    [InlineData("a2c")]
    [InlineData("trpo")]
    public void Run_with_critic_observations_resumes_step_for_step(string algorithm)
    {
        // The critic's normalizer statistics are in the checkpoint: without them the resumed values, and so the
        // value loss and explained variance, would differ from the uninterrupted run's.
        var config = (SmallConfig(totalSteps: 6 * 128, checkpointEvery: 2) with { Algorithm = algorithm })
            .WithOptions(new ReinforceOptions { RolloutSteps = 32, BaselineSteps = 2 })
            .WithOptions(new A2cOptions { RolloutSteps = 32, NSteps = 8 })
            .WithOptions(new TrpoOptions { RolloutSteps = 32, ValueEpochs = 2, ValueMinibatches = 4, CgIterations = 5 });

        var (dir, _) = AssertResumeMatchesUninterrupted(config, stopAfter: 4, updates: 6, ResumeCompared, () => PointMass(criticObservations: true));

        var header = CheckpointFiles.ReadHeader(new RunFolder(dir).LastCheckpoint);
        Assert.Equal(1, header.CriticObservationSize);
        Assert.Equal(2, header.ObservationSize);
    }

    [Fact]
    public void The_value_network_reads_the_critic_observations_and_the_exported_policy_does_not()
    {
        string dir = TempRunDir();
        new TrainingRunner(SmallConfig(totalSteps: 2 * 128), dir, PointMass(criticObservations: true)).Train(new Quiet(), resume: false);

        var (_, _, algorithm) = CheckpointFiles.Load(new RunFolder(dir).LastCheckpoint, TorchSharp.torch.CPU);
        using (algorithm)
        {
            var policy = ((Robotics.Training.Algorithms.OnPolicy.OnPolicyAlgorithm)algorithm).Policy;
            Assert.Equal(2 + 1, policy.named_parameters().Single(p => p.name == "critic.linear0.weight").parameter.shape[1]);
            Assert.Equal(2, policy.named_parameters().Single(p => p.name == "actorMean.linear0.weight").parameter.shape[1]);
        }

        var exported = CheckpointFiles.LoadExportable(new RunFolder(dir).LastCheckpoint);
        Assert.Equal(2, exported.Layers[0].In);
        Assert.Equal(2, exported.ObsMean.Length);

        // ONNX Runtime reproduces the policy from the observations alone before the file is written.
        string onnx = Path.Combine(dir, "policy.onnx");
        var report = Robotics.Training.Export.CheckpointExport.Run(dir, onnx);
        Assert.NotEmpty(report.Comparisons);
    }

    [Fact]
    public void The_critic_observations_change_the_values_and_leave_the_first_rollout_alone()
    {
        // The policy is built first and samples from the same generator, so the first rollout's actions (and the
        // episodes they make) are the same with and without critic observations; the values, read from other
        // inputs by a network of another shape, are not.
        var config = SmallConfig(totalSteps: 1 * 128);
        var plain = new List<MetricRecord>();
        var asymmetric = new List<MetricRecord>();
        new TrainingRunner(config, TempRunDir(), PointMass()) { OnUpdate = plain.Add }.Train(new Quiet(), resume: false);
        new TrainingRunner(config, TempRunDir(), PointMass(criticObservations: true)) { OnUpdate = asymmetric.Add }.Train(new Quiet(), resume: false);

        Assert.Equal(plain[0]["charts/episode_return_mean"], asymmetric[0]["charts/episode_return_mean"]);
        Assert.NotEqual(plain[0]["losses/value_loss"], asymmetric[0]["losses/value_loss"]);
    }

    [Fact]
    public void Ppo_with_critic_observations_learns_to_hold_the_point_mass_at_the_centre()
    {
        var config = SmallConfig(totalSteps: 40_000, checkpointEvery: 50) with { NumEnvs = 8 };
        var result = new TrainingRunner(config with { Evaluation = config.Evaluation with { EveryUpdates = 10, Episodes = 8 } }, TempRunDir(),
            PointMass(criticObservations: true)).Train(new Quiet(), resume: false);

        Assert.NotNull(result.LastEvaluation);
        Assert.True(result.LastEvaluation!.MeanReturn > 40, $"deterministic return {result.LastEvaluation.MeanReturn:F1} after {result.EnvSteps} steps");
    }

    [Fact]
    public void Critic_observations_cross_the_bridges_and_train_the_same_on_one_or_two()
    {
        // Cart-pole balance with the pole's true velocity and the cart's push force for the critic: the bridge
        // sends them beside the observations, and the run is the same however the environments are laid out.
        string folder = TempRunDir();
        string root = RepositoryRoot();
        string text = File.ReadAllText(Path.Combine(root, "configs", "tasks", "cartpole-balance.yaml"))
            .Replace("robot: cartpole", "robot: " + Path.Combine(root, "configs", "robots", "cartpole.yaml"));
        File.WriteAllText(Path.Combine(folder, "cartpole-critic.yaml"), text + """

            critic_observations:
              - { term: body_linear_velocity, body: pole }
              - { term: body_external_force, body: cart }
            """);
        var config = SmallConfig(totalSteps: 3 * 128) with { Task = "cartpole-critic", NumEnvs = 4 };

        List<MetricRecord> Run(int bridges)
        {
            var served = ServedTasks.From([folder]);
            using var source = Robotics.Training.Environments.BridgeEnvironmentSource.Local(config.Task, count: bridges,
                () => LocalBridge.StartInProcess(new SimEnvFactory(threads: 1, served)));
            var updates = new List<MetricRecord>();
            string dir = TempRunDir();
            new TrainingRunner(config, dir, source) { OnUpdate = updates.Add }.Train(new Quiet(), resume: false);
            Assert.Equal(3 + 3, CheckpointFiles.ReadHeader(new RunFolder(dir).LastCheckpoint).CriticObservationSize);
            return updates;
        }

        var one = Run(1);
        var two = Run(2);
        Assert.Equal(3, one.Count);
        for (int u = 0; u < one.Count; u++)
        {
            foreach (var name in ResumeCompared)
                Assert.True(one[u].GetOrNaN(name).Equals(two[u].GetOrNaN(name)), $"update {u + 1}, {name}: {one[u].GetOrNaN(name)} vs {two[u].GetOrNaN(name)}");
        }
    }

    [Fact]
    public void Groups_stepped_out_of_phase_deliver_the_critic_observations_in_their_rows()
    {
        using var whole = new Fakes.PointMassVectorEnv(5, maxSteps: 3, criticObservations: true);
        using var grouped = Robotics.Contract.Environments.GroupedVectorEnv.Create(5, 2,
            n => new Robotics.Contract.Environments.SplitStepAdapter(new Fakes.PointMassVectorEnv(n, maxSteps: 3, criticObservations: true)));
        var a = new Robotics.Contract.Environments.VectorStep(5, 2, 1);
        var b = new Robotics.Contract.Environments.VectorStep(5, 2, 1);
        whole.Reset(9, a);
        grouped.Reset(9, b);
        Assert.Equal(a.CriticObservations, b.CriticObservations);
        var actions = new float[] { 0.5f, -1, 2, 0, 1 };
        for (int t = 0; t < 3; t++)
        {
            whole.Step(actions, a);
            grouped.Step(actions, b);
            Assert.Equal(a.CriticObservations, b.CriticObservations);
        }

        // The third step ends every episode at the time limit: the finals hold what the critic saw last (no time left).
        Assert.All(b.Truncated, Assert.True);
        Assert.Equal(a.FinalCriticObservations, b.FinalCriticObservations);
        Assert.All(b.FinalCriticObservations, v => Assert.Equal(0f, v));
        Assert.All(b.CriticObservations, v => Assert.Equal(1f, v));
    }

    [Fact]
    public void Sac_refuses_a_task_with_critic_observations_and_says_what_to_do()
    {
        var config = SmallConfig(totalSteps: 128) with { Algorithm = "sac" };
        var error = Assert.Throws<ConfigException>(() =>
            new TrainingRunner(config, TempRunDir(), PointMass(criticObservations: true)).Train(new Quiet(), resume: false));
        Assert.Contains("critic_observations", error.Message);
        Assert.Contains("ppo", error.Message);
    }
}
