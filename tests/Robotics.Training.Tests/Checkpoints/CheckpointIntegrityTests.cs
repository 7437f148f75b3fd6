using System.Text;
using Robotics.Training.Checkpoints;
using Robotics.Training.Runner;
using TorchSharp;
using static Robotics.Training.Tests.Runner.RunnerTestKit;

namespace Robotics.Training.Tests.Checkpoints;

/// <summary>Damaged, cut-short and old checkpoints: one line naming the file, a fallback to an intact one, old files still load.</summary>
public sealed class CheckpointIntegrityTests
{
    [Fact]
    public void A_cut_short_checkpoint_is_one_line_naming_the_file()
    {
        string path = TrainedCheckpoint();
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var error = Assert.Throws<InvalidDataException>(() => CheckpointFiles.Load(path, torch.CPU));

        Assert.StartsWith(path, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Changed_bytes_in_the_weights_are_caught_by_the_checksum()
    {
        string path = TrainedCheckpoint();
        var checkpoint = CheckpointFiles.Open(path);
        var bytes = File.ReadAllBytes(path);
        // A finite float somewhere in the middle of the tensors, as random finite bytes would be.
        BitConverter.TryWriteBytes(bytes.AsSpan(checkpoint.StateStart + checkpoint.StateLength / 2, 4), 0.125f);
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<InvalidDataException>(() => CheckpointFiles.Load(path, torch.CPU));

        Assert.Equal($"{path} does not match its checksum: it is damaged or was cut short", error.Message);
    }

    [Fact]
    public void A_run_folder_falls_back_to_the_newest_intact_checkpoint_and_says_which()
    {
        string run = Path.GetDirectoryName(Path.GetDirectoryName(TrainedCheckpoint()))!;
        var layout = new RunFolder(run);
        File.WriteAllBytes(layout.BestCheckpoint, Encoding.UTF8.GetBytes("not a checkpoint at all"));
        File.WriteAllBytes(layout.FinalPolicy, File.ReadAllBytes(layout.FinalPolicy)[..100]);
        var notes = new List<string>();

        string chosen = CheckpointFiles.Resolve(run, notes.Add);

        Assert.Equal(layout.LastCheckpoint, chosen);
        Assert.Equal(2, notes.Count);
        Assert.All(notes, note => Assert.EndsWith($"; using {layout.LastCheckpoint} instead", note));
        Assert.Contains(notes, note => note.StartsWith(layout.BestCheckpoint));
    }

    [Fact]
    public void A_finished_run_folder_gives_its_best_checkpoint_before_its_final_policy_as_export_help_and_docs_say()
    {
        string run = Path.GetDirectoryName(Path.GetDirectoryName(TrainedCheckpoint()))!;
        var layout = new RunFolder(run);
        Assert.True(File.Exists(layout.BestCheckpoint) && File.Exists(layout.FinalPolicy) && File.Exists(layout.LastCheckpoint));

        Assert.Equal(layout.BestCheckpoint, CheckpointFiles.Resolve(run));
        File.Delete(layout.BestCheckpoint);
        Assert.Equal(layout.FinalPolicy, CheckpointFiles.Resolve(run));
        File.Delete(layout.FinalPolicy);
        Assert.Equal(layout.LastCheckpoint, CheckpointFiles.Resolve(run));
    }

    [Fact]
    public void A_checkpoint_written_before_checksums_still_loads_with_a_note()
    {
        string path = TrainedCheckpoint();
        var current = CheckpointFiles.Open(path);
        string oldPath = path + ".format1.ckpt";
        using (var writer = new BinaryWriter(File.Create(oldPath)))
        {
            // Format 1: the same magic, a header saying format 1, the state, and nothing after it.
            writer.Write("robotics-checkpoint");
            using var reader = new BinaryReader(new MemoryStream(current.Bytes));
            reader.ReadString();
            writer.Write(reader.ReadString().Replace("\"format_version\":2", "\"format_version\":1"));
            writer.Write(current.Bytes.AsSpan(current.StateStart, current.StateLength));
        }

        var notes = new List<string>();
        var (header, _, algorithm) = CheckpointFiles.Load(oldPath, torch.CPU, notes.Add);
        algorithm.Dispose();

        Assert.Equal(1, header.FormatVersion);
        Assert.Equal([$"{oldPath} was written before checkpoints carried a checksum; loaded without an integrity check"], notes);
    }

    [Fact]
    public void A_failed_write_leaves_the_old_checkpoint_and_no_temporary_file()
    {
        string path = TrainedCheckpoint();
        var before = File.ReadAllBytes(path);
        var checkpoint = CheckpointFiles.Open(path);
        AtomicFile.FaultForTests = target => target == path ? new IOException("No space left on device") : null;
        try
        {
            Assert.Throws<IOException>(() => CheckpointFiles.Save(path, checkpoint.Header, new byte[1000]));
        }
        finally
        {
            AtomicFile.FaultForTests = null;
        }

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.False(File.Exists(path + AtomicFile.TemporarySuffix));
    }

    [Fact]
    public void Resume_falls_back_to_the_newest_intact_numbered_checkpoint_when_last_is_damaged()
    {
        var config = SmallConfig(totalSteps: 6 * 128, checkpointEvery: 2);
        string dir = TempRunDir();
        new TrainingRunner(config, dir, PointMass()) { StopAfterIterations = 4 }.Train(new Quiet(), resume: false);
        var layout = new RunFolder(dir);
        File.WriteAllBytes(layout.LastCheckpoint, File.ReadAllBytes(layout.LastCheckpoint)[..200]);
        var quiet = new Quiet();

        var result = new TrainingRunner(config, dir, PointMass()).Train(quiet, resume: true);

        Assert.Equal(6, result.Iterations);
        Assert.Contains(quiet.Messages, m => m.Contains($"{layout.LastCheckpoint} has a damaged or cut-short header") && m.EndsWith($"using {layout.NumberedCheckpoint(4)} instead"));
    }

    /// <summary>A finished small run (best, policy, last and numbered checkpoints); returns its last.ckpt.</summary>
    private static string TrainedCheckpoint()
    {
        string dir = TempRunDir();
        new TrainingRunner(SmallConfig(totalSteps: 4 * 128), dir, PointMass()).Train(new Quiet(), resume: false);
        return new RunFolder(dir).LastCheckpoint;
    }
}
