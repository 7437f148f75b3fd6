using Robotics.Contract.Environments;
using Robotics.Training.Algorithms.Ppo;
using System.Diagnostics;
using Robotics.Training.Algorithms;
using Robotics.Training.Configuration;
using Robotics.Training.Monitoring;
using Robotics.Training.Tests.Fakes;
using TorchSharp;
using static Robotics.Training.Tests.Runner.RunnerTestKit;

namespace Robotics.Training.Tests.Resilience;

/// <summary>
/// Every algorithm's update path, run again and again while another thread collects garbage and runs finalizers
/// without pause. A TorchSharp Scalar left to the finalizer can then be freed while its native call still reads
/// it: the update throws "Unknown scalar type", reads a wrong number or takes the process down.
/// </summary>
[Collection(ForcedCollections.Name)]
public sealed class ScalarLifetimeRaceTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(4);
    private const int MinimumUpdates = 3;

    [Theory]
    [InlineData("ppo", "analytic", "tanh")]
    [InlineData("ppo", "autograd", "elu")]
    [InlineData("a2c", "", "elu")]
    [InlineData("reinforce", "", "tanh")]
    [InlineData("trpo", "", "tanh")]
    [InlineData("sac", "", "elu")]
    public void Updates_survive_garbage_collections_on_another_thread(string algorithm, string gradients, string activation)
    {
        var config = (SmallConfig(totalSteps: 1_000_000) with
        {
            Algorithm = algorithm,
            Policy = new PolicyOptions { HiddenSizes = [16, 16], Activation = activation },
        })
            .WithOptions(SmallConfig(1).Options<PpoOptions>() with { Gradients = gradients == "" ? "analytic" : gradients })
            .WithOptions(new Robotics.Training.Algorithms.A2c.A2cOptions { RolloutSteps = 8 })
            .WithOptions(new Robotics.Training.Algorithms.Reinforce.ReinforceOptions { RolloutSteps = 32, BaselineSteps = 2 })
            .WithOptions(new Robotics.Training.Algorithms.Trpo.TrpoOptions { RolloutSteps = 32, ValueEpochs = 2, ValueMinibatches = 4 })
            .WithOptions(new Robotics.Training.Algorithms.Sac.SacOptions { StepsPerIteration = 8, LearningStarts = 64, BatchSize = 32, BufferSize = 10_000 });
        var env = new PointMassVectorEnv(config.NumEnvs, maxSteps: 50);
        torch.manual_seed(config.Seed);
        using var learner = AlgorithmRegistry.Create(config, env.Spec, torch.CPU);
        learner.ResetEnvironments(env, config.Seed);

        int updates = 0, learned = 0;
        using var stop = new CancellationTokenSource();
        var collector = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                // Young collections: the Scalars at risk are young, and a full collection would stop the updates
                // for most of the time.
                GC.Collect(0, GCCollectionMode.Forced, blocking: true);
                GC.WaitForPendingFinalizers();
            }
        }) { IsBackground = true, Name = "forced collections" };
        collector.Start();
        try
        {
            // At least a few seconds and a few updates that learned, whichever takes longer on a loaded machine.
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < Budget || learned < MinimumUpdates)
            {
                var metrics = new MetricRecord();
                learner.Collect(env, new List<EpisodeRecord>(), metrics);
                bool finite = learner.Learn(progress: 0.5, metrics, out string? nonFinite);
                Assert.True(finite, $"update {updates + 1} of {algorithm}: {nonFinite} was not finite");
                updates++;
                if (metrics.TryGet("losses/policy_loss", out _) || metrics.TryGet("losses/actor_loss", out _)) learned++;
            }
        }
        finally
        {
            stop.Cancel();
            collector.Join();
        }

        Assert.Null(learner.FirstNonFiniteParameter());
    }
}

/// <summary>
/// The race tests run alone: their collections and finalizers would otherwise land in every test running beside
/// them, whose own tensor temporaries are not all held (TorchSharp wraps each at::Tensor in a finalizable object).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ForcedCollections
{
    public const string Name = "forced garbage collections";
}
