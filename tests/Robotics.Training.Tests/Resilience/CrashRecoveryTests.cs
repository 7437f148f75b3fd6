using System.Runtime.InteropServices;
using Robotics.Training.Checkpoints;
using Robotics.Training.Monitoring;
using Robotics.Training.Runner;
using static Robotics.Training.Tests.Runner.RunnerTestKit;

namespace Robotics.Training.Tests.Resilience;

/// <summary>A run that fails mid-update keeps the state from before that update, says why, and resumes.</summary>
public sealed class CrashRecoveryTests
{
    [Fact]
    public void A_native_error_mid_update_saves_the_state_before_it_and_the_run_resumes()
    {
        // The failure comes in update 3, after its learning step changed the parameters; no checkpoint boundary (which
        // reseeds the environments) lies between the reference's stop and the failure.
        var config = SmallConfig(totalSteps: 6 * 128, checkpointEvery: 4);
        string reference = TempRunDir();
        new TrainingRunner(config, reference, PointMass()) { StopAfterIterations = 2 }.Train(new Quiet(), resume: false);

        string dir = TempRunDir();
        var quiet = new Quiet();
        var crashing = new TrainingRunner(config, dir, PointMass())
        {
            AfterLearn = (algorithm, update) =>
            {
                if (update != 3) return;
                algorithm.Learn(0.5, new MetricRecord(), out _);
                throw new ExternalException("Unknown scalar type.\nException raised from type at /pytorch/c10/core/Scalar.h:339");
            },
        };
        var error = Assert.Throws<TrainingAbortedException>(() => crashing.Train(quiet, resume: false));

        Assert.DoesNotContain('\n', error.Message);
        Assert.Contains("native error in libtorch (Unknown scalar type.)", error.Message);
        Assert.Contains("robotics resume", error.Message);
        var last = CheckpointFiles.Open(new RunFolder(dir).LastCheckpoint);
        var before = CheckpointFiles.Open(new RunFolder(reference).LastCheckpoint);
        Assert.Equal(2, last.Header.Counters.Iteration);
        Assert.True(last.Bytes.AsSpan(last.StateStart, last.StateLength).SequenceEqual(before.Bytes.AsSpan(before.StateStart, before.StateLength)),
            "last.ckpt does not hold the state from before the failed update");
        Assert.Contains(error.Message, File.ReadAllText(new RunFolder(dir).Log));
        Assert.Empty(Directory.GetFiles(dir, "*" + AtomicFile.TemporarySuffix, SearchOption.AllDirectories));

        var resumed = new TrainingRunner(config, dir, PointMass()).Train(new Quiet(), resume: true);
        Assert.Equal(6, resumed.Iterations);
        Assert.True(File.Exists(new RunFolder(dir).FinalPolicy));
    }
}
