using System.Text.Json;
using Robotics.Contract;
using Robotics.Training.Algorithms;
using Robotics.Training.Configuration;
using Robotics.Training.Policies;
using TorchSharp;

namespace Robotics.Training.Checkpoints;

/// <summary>
/// Checkpoint files: a magic line, a JSON <see cref="CheckpointHeader"/>, then the algorithm's state
/// (networks, optimizer, normalizers). Written to a temporary file and renamed over the old one, so a
/// crash while saving leaves the previous checkpoint loadable.
/// </summary>
public static class CheckpointFiles
{
    public const string Extension = ".ckpt";
    private const string Magic = "robotics-checkpoint";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static void Save(string path, CheckpointHeader header, IAlgorithm algorithm)
    {
        // Never write a checkpoint that cannot be used.
        if (algorithm.FirstNonFiniteParameter() is { } bad)
            throw new InvalidOperationException($"refusing to write {path}: {bad} is not finite");

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        string temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(Magic);
                writer.Write(JsonSerializer.Serialize(header with { SavedUtc = DateTime.UtcNow }, Json));
                algorithm.SaveState(writer);
            }

            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }

    public static CheckpointHeader ReadHeader(BinaryReader reader, string path)
    {
        string magic;
        try
        {
            magic = reader.ReadString();
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"{path} is empty or cut short; it is not a checkpoint");
        }

        if (magic != Magic) throw new InvalidDataException($"{path} is not a robotics checkpoint");
        var header = JsonSerializer.Deserialize<CheckpointHeader>(reader.ReadString(), Json)
            ?? throw new InvalidDataException($"{path}: empty checkpoint header");
        if (header.FormatVersion != 1)
            throw new InvalidDataException($"{path}: checkpoint format {header.FormatVersion} is not supported (this build reads format 1)");
        return header;
    }

    public static CheckpointHeader ReadHeader(string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        return ReadHeader(reader, path);
    }

    /// <summary>Rebuilds the algorithm a checkpoint was written by, with its state loaded.</summary>
    public static (CheckpointHeader Header, TrainingConfig Config, IAlgorithm Algorithm) Load(string path, torch.Device device)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        var header = ReadHeader(reader, path);
        var config = TrainingConfigFile.Parse(header.ConfigYaml, path + " (embedded config)");
        var algorithm = AlgorithmRegistry.Create(config, header.ToEnvSpec(), device);
        try
        {
            algorithm.LoadState(reader);
        }
        catch
        {
            algorithm.Dispose();
            throw;
        }

        return (header, config, algorithm);
    }

    /// <summary>A checkpoint file, or the checkpoint a run folder's policy comes from: best (highest evaluation), else the final policy, else last.</summary>
    public static string Resolve(string runDirOrCheckpoint)
    {
        if (File.Exists(runDirOrCheckpoint)) return runDirOrCheckpoint;
        if (!Directory.Exists(runDirOrCheckpoint))
            throw new FileNotFoundException($"{runDirOrCheckpoint} is neither a checkpoint file nor a run folder");
        var layout = new RunFolder(runDirOrCheckpoint);
        foreach (var candidate in new[] { layout.BestCheckpoint, layout.FinalPolicy, layout.LastCheckpoint })
        {
            if (File.Exists(candidate)) return candidate;
        }

        throw new FileNotFoundException($"{runDirOrCheckpoint} holds no checkpoint yet (looked for checkpoints/best.ckpt, policy.ckpt, checkpoints/last.ckpt)");
    }

    public static ExportablePolicy LoadExportable(string runDirOrCheckpoint)
    {
        string path = Resolve(runDirOrCheckpoint);
        var (header, _, algorithm) = Load(path, torch.CPU);
        using (algorithm)
        {
            return algorithm.ToExportable(PolicyContract.FromJson(header.ContractJson), header.RunName, header.Counters.EnvSteps);
        }
    }
}
