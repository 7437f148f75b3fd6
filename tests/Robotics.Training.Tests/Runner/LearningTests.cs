using Robotics.Contract.Environments;
using Robotics.Training.Runner;
using static Robotics.Training.Tests.Runner.RunnerTestKit;

namespace Robotics.Training.Tests.Runner;

public sealed class LearningTests
{
    [Fact]
    public void Ppo_learns_to_hold_the_point_mass_at_the_centre()
    {
        // Random actions push the mass out (early termination, return near 10 of at most 50);
        // a learned policy holds it near x = 0 for the whole episode.
        var config = SmallConfig(totalSteps: 40_000, checkpointEvery: 50) with { NumEnvs = 8 };
        string dir = TempRunDir();
        var result = new TrainingRunner(config with { Evaluation = config.Evaluation with { EveryUpdates = 10, Episodes = 8 } }, dir, PointMass())
            .Train(new Quiet(), resume: false);

        Assert.NotNull(result.LastEvaluation);
        Assert.True(result.LastEvaluation!.MeanReturn > 40, $"deterministic return {result.LastEvaluation.MeanReturn:F1} after {result.EnvSteps} steps");
    }

    [Fact]
    public void Dead_environment_is_replaced_and_the_partial_rollout_discarded()
    {
        var made = new List<Fakes.PointMassVectorEnv>();
        var source = new FailingOnceSource(made);
        var quiet = new Quiet();
        var result = new TrainingRunner(SmallConfig(3 * 128), TempRunDir(), source).Train(quiet, resume: false);

        Assert.Equal(3, result.Iterations);
        Assert.Contains(quiet.Messages, m => m.Contains("replacing it"));
        Assert.Equal(2, made.Count);
    }

    private sealed class FailingOnceSource(List<Fakes.PointMassVectorEnv> made) : Environments.IEnvironmentSource
    {
        public string Description => "failing once";

        public IVectorEnv CreateTraining(int numEnvs)
        {
            var env = new Fakes.PointMassVectorEnv(numEnvs) { FailNextStep = made.Count == 0 ? new IOException("bridge gone") : null };
            made.Add(env);
            return env;
        }

        public IVectorEnv CreateEvaluation(int numEnvs) => new Fakes.PointMassVectorEnv(numEnvs);
        public bool IsEnvironmentFailure(Exception error) => error is IOException;

        public IVectorEnv Replace(IVectorEnv failed, int numEnvs)
        {
            failed.Dispose();
            return CreateTraining(numEnvs);
        }

        public void Dispose()
        {
        }
    }
}
