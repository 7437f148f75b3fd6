using Robotics.Contract.Environments;
using Robotics.SimBridge;
using Robotics.Training.Checkpoints;
using Robotics.Training.Environments;
using Robotics.Training.Runner;
using Robotics.Training.Tests.Fakes;
using static Robotics.Training.Tests.Runner.RunnerTestKit;

namespace Robotics.Training.Tests.Resilience;

/// <summary>
/// A full disk and a bridge that dies for good: each ends the run with one line (the same in train.log), a
/// checkpoint where the disk allows, no temporary files, and a folder that resumes once the cause is gone.
/// </summary>
public sealed class TrainerFailureTests
{
    [Fact]
    public void A_full_disk_at_a_checkpoint_ends_in_one_line_and_the_run_resumes_once_there_is_room()
    {
        var config = SmallConfig(totalSteps: 8 * 128, checkpointEvery: 2) with
        {
            Checkpoint = new Robotics.Training.Configuration.CheckpointOptions { EveryUpdates = 2, KeepNumbered = false },
        };
        string dir = TempRunDir();
        string last = new RunFolder(dir).LastCheckpoint;
        int writes = 0;
        // The second write of last.ckpt (update 4) and every one after it find the disk full.
        AtomicFile.FaultForTests = path => path == last && ++writes >= 2 ? new IOException($"No space left on device : '{path}.tmp'") : null;
        TrainingAbortedException error;
        try
        {
            error = Assert.Throws<TrainingAbortedException>(() => new TrainingRunner(config, dir, PointMass()).Train(new Quiet(), resume: false));
        }
        finally
        {
            AtomicFile.FaultForTests = null;
        }

        Assert.DoesNotContain('\n', error.Message);
        Assert.Contains("cannot write to disk (No space left on device", error.Message);
        Assert.Contains("could not save a checkpoint either", error.Message);
        Assert.Contains(error.Message, File.ReadAllText(new RunFolder(dir).Log));
        Assert.Empty(Directory.GetFiles(dir, "*" + AtomicFile.TemporarySuffix, SearchOption.AllDirectories));
        Assert.Equal(2, CheckpointFiles.Open(last).Header.Counters.Iteration);

        var resumed = new TrainingRunner(config, dir, PointMass()).Train(new Quiet(), resume: true);
        Assert.Equal(8, resumed.Iterations);
    }

    [Fact]
    public void A_bridge_that_dies_and_does_not_come_back_ends_in_one_line_with_a_checkpoint_to_resume()
    {
        var config = SmallConfig(totalSteps: 6 * 128, checkpointEvery: 4);
        string dir = TempRunDir();
        using var dying = new DyingBridges();
        var runner = new TrainingRunner(config, dir, dying)
        {
            OnUpdate = m => { if (m.GetOrNaN("iteration") == 3) dying.Kill(); },
        };

        var error = Assert.Throws<TrainingAbortedException>(() => runner.Train(new Quiet(), resume: false));

        Assert.DoesNotContain('\n', error.Message);
        Assert.Contains("the environments failed and could not be replaced (no bridge answers at tcp://127.0.0.1:5999)", error.Message);
        Assert.Contains(error.Message, File.ReadAllText(new RunFolder(dir).Log));
        Assert.Equal(3, CheckpointFiles.Open(new RunFolder(dir).LastCheckpoint).Header.Counters.Iteration);

        var resumed = new TrainingRunner(config, dir, PointMass()).Train(new Quiet(), resume: true);
        Assert.Equal(6, resumed.Iterations);
    }

    /// <summary>Point-mass environments standing in for bridges; after <see cref="Kill"/> they fail and cannot be replaced.</summary>
    private sealed class DyingBridges : IEnvironmentSource
    {
        private readonly List<PointMassVectorEnv> made = [];
        private bool dead;

        public string Description => "point mass behind a bridge";

        public IVectorEnv CreateTraining(int numEnvs) => Make(numEnvs);
        public IVectorEnv CreateEvaluation(int numEnvs) => Make(numEnvs);
        public bool IsEnvironmentFailure(Exception error) => error is BridgeException;

        public IVectorEnv Replace(IVectorEnv failed, int numEnvs)
        {
            failed.Dispose();
            if (dead) throw new BridgeException("no bridge answers at tcp://127.0.0.1:5999");
            return Make(numEnvs);
        }

        public void Kill()
        {
            dead = true;
            foreach (var env in made) env.FailNextStep = new BridgeException("bridge at tcp://127.0.0.1:5999 stopped answering");
        }

        public void Dispose()
        {
        }

        private PointMassVectorEnv Make(int numEnvs)
        {
            var env = new PointMassVectorEnv(numEnvs, 50);
            made.Add(env);
            return env;
        }
    }
}
