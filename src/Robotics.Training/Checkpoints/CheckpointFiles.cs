using System.Security.Cryptography;
using System.Text.Json;
using Robotics.Contract;
using Robotics.Contract.Environments;
using Robotics.Training.Algorithms;
using Robotics.Training.Configuration;
using Robotics.Training.Policies;
using TorchSharp;

namespace Robotics.Training.Checkpoints;

/// <summary>
/// Checkpoint files. Format 2: a magic line, a JSON <see cref="CheckpointHeader"/>, the algorithm's state (networks,
/// optimizer, normalizers), then the SHA-256 of every byte before it (32 bytes), checked on every load. Format 1
/// (the same without the checksum) still loads, with a note that nothing could be checked. Written to a temporary
/// file and renamed over the old one, so a crash while saving leaves the previous checkpoint loadable; a failed
/// write removes its temporary file.
/// </summary>
public static class CheckpointFiles
{
    public const string Extension = ".ckpt";
    public const int CurrentFormat = 2;
    private const string Magic = "robotics-checkpoint";
    private const int ChecksumSize = 32;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The algorithm's state as <see cref="Save(string, CheckpointHeader, byte[])"/> takes it; refuses a state that cannot be used.</summary>
    public static byte[] StateBytes(IAlgorithm algorithm)
    {
        if (algorithm.FirstNonFiniteParameter() is { } bad)
            throw new InvalidOperationException($"refusing to save the training state: {bad} is not finite");
        using var memory = new MemoryStream();
        using (var writer = new BinaryWriter(memory, System.Text.Encoding.UTF8, leaveOpen: true)) algorithm.SaveState(writer);
        return memory.ToArray();
    }

    public static void Save(string path, CheckpointHeader header, IAlgorithm algorithm) => Save(path, header, StateBytes(algorithm));

    /// <summary>Writes a checkpoint of <paramref name="state"/> (from <see cref="StateBytes"/>) atomically.</summary>
    public static void Save(string path, CheckpointHeader header, byte[] state)
    {
        using var memory = new MemoryStream(state.Length + 4096);
        using (var writer = new BinaryWriter(memory, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(JsonSerializer.Serialize(header with { FormatVersion = CurrentFormat, SavedUtc = DateTime.UtcNow }, Json));
            writer.Write(state);
        }

        memory.Write(SHA256.HashData(memory.GetBuffer().AsSpan(0, (int)memory.Length)));
        AtomicFile.Write(path, memory.GetBuffer().AsSpan(0, (int)memory.Length));
    }

    /// <summary>The header alone, for callers that only need to know what a checkpoint is (nothing is checked beyond it).</summary>
    public static CheckpointHeader ReadHeader(string path)
    {
        using var reader = new BinaryReader(OpenRead(path));
        return ReadHeader(reader, path);
    }

    /// <summary>Reads and checks a whole checkpoint; a damaged or cut-short file is an <see cref="InvalidDataException"/> whose one-line message names it.</summary>
    public static VerifiedCheckpoint Open(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Damaged(path, $"cannot be read ({e.Message})");
        }

        using var reader = new BinaryReader(new MemoryStream(bytes, writable: false));
        var header = ReadHeader(reader, path);
        int stateStart = (int)reader.BaseStream.Position;
        if (header.FormatVersion == 1) return new VerifiedCheckpoint(path, header, bytes, stateStart, bytes.Length - stateStart, Checked: false);

        int stateLength = bytes.Length - ChecksumSize - stateStart;
        if (stateLength < 0) throw Damaged(path, "is cut short (no checksum at its end)");
        var expected = bytes.AsSpan(bytes.Length - ChecksumSize);
        if (!SHA256.HashData(bytes.AsSpan(0, bytes.Length - ChecksumSize)).AsSpan().SequenceEqual(expected))
            throw Damaged(path, "does not match its checksum: it is damaged or was cut short");
        return new VerifiedCheckpoint(path, header, bytes, stateStart, stateLength, Checked: true);
    }

    /// <summary>Rebuilds the algorithm a checkpoint was written by, with its state loaded.</summary>
    public static (CheckpointHeader Header, TrainingConfig Config, IAlgorithm Algorithm) Load(string path, torch.Device device, Action<string>? note = null)
    {
        var checkpoint = Open(path);
        if (!checkpoint.Checked) note?.Invoke($"{path} was written before checkpoints carried a checksum; loaded without an integrity check");
        var header = checkpoint.Header;
        var config = TrainingConfigFile.Parse(header.ConfigYaml, path + " (embedded config)");
        try
        {
            var state = new MemoryStream(checkpoint.Bytes, checkpoint.StateStart, checkpoint.StateLength, writable: false);
            return (header, config, FromState(config, header.ToEnvSpec(), device, state));
        }
        catch (EndOfStreamException)
        {
            throw Damaged(path, "is cut short (its tensors end early)");
        }
    }

    /// <summary>The algorithm <paramref name="config"/> names, for <paramref name="spec"/>, holding the state <see cref="StateBytes"/> wrote.</summary>
    public static IAlgorithm FromState(TrainingConfig config, EnvSpec spec, torch.Device device, Stream state)
    {
        var algorithm = AlgorithmRegistry.Create(config, spec, device);
        try
        {
            using var reader = new BinaryReader(state);
            algorithm.LoadState(reader);
            return algorithm;
        }
        catch
        {
            algorithm.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A checkpoint file as given (checked), or for a run folder the first intact one of: best (highest evaluation),
    /// the final policy, last, then the numbered ones newest first. Each damaged file passed over is reported to
    /// <paramref name="note"/> with the one used instead.
    /// </summary>
    public static string Resolve(string runDirOrCheckpoint, Action<string>? note = null)
    {
        if (File.Exists(runDirOrCheckpoint))
        {
            Open(runDirOrCheckpoint);
            return runDirOrCheckpoint;
        }

        if (!Directory.Exists(runDirOrCheckpoint))
            throw new FileNotFoundException($"{runDirOrCheckpoint} is neither a checkpoint file nor a run folder");
        var layout = new RunFolder(runDirOrCheckpoint);
        return NewestIntact([layout.BestCheckpoint, layout.FinalPolicy, layout.LastCheckpoint, .. layout.NumberedCheckpointsNewestFirst()], note)
            ?? throw new FileNotFoundException($"{runDirOrCheckpoint} holds no intact checkpoint (looked for checkpoints/best.ckpt, policy.ckpt, checkpoints/last.ckpt, checkpoints/update_*.ckpt)");
    }

    /// <summary>The first of <paramref name="candidates"/> that exists and is intact, or null; damaged ones are reported to <paramref name="note"/>.</summary>
    public static string? NewestIntact(IEnumerable<string> candidates, Action<string>? note)
    {
        var damaged = new List<string>();
        foreach (var candidate in candidates.Where(File.Exists))
        {
            try
            {
                Open(candidate);
            }
            catch (InvalidDataException e)
            {
                damaged.Add(e.Message);
                continue;
            }

            foreach (var message in damaged) note?.Invoke($"{message}; using {candidate} instead");
            return candidate;
        }

        foreach (var message in damaged) note?.Invoke(message);
        return null;
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

    private static CheckpointHeader ReadHeader(BinaryReader reader, string path)
    {
        string magic;
        try
        {
            magic = reader.ReadString();
        }
        catch (EndOfStreamException)
        {
            throw Damaged(path, "is empty or cut short; it is not a checkpoint");
        }

        if (magic != Magic) throw Damaged(path, "is not a robotics checkpoint");
        CheckpointHeader? header;
        try
        {
            header = JsonSerializer.Deserialize<CheckpointHeader>(reader.ReadString(), Json);
        }
        catch (Exception e) when (e is EndOfStreamException or JsonException or System.Text.DecoderFallbackException or IOException)
        {
            throw Damaged(path, "has a damaged or cut-short header");
        }

        if (header is null) throw Damaged(path, "has an empty header");
        if (header.FormatVersion is not (1 or CurrentFormat))
            throw new InvalidDataException($"{path}: checkpoint format {header.FormatVersion} is not supported (this build reads formats 1 and {CurrentFormat})");
        return header;
    }

    /// <summary>A checkpoint that cannot be used (damaged, cut short, unreadable), in one line that names the file.</summary>
    private static InvalidDataException Damaged(string path, string problem) => new($"{path} {problem}");

    private static FileStream OpenRead(string path)
    {
        try
        {
            return File.OpenRead(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Damaged(path, $"cannot be read ({e.Message})");
        }
    }
}

/// <summary>A checkpoint read whole and checked: its header, and where its algorithm state lies in <see cref="Bytes"/>.</summary>
public sealed record VerifiedCheckpoint(string Path, CheckpointHeader Header, byte[] Bytes, int StateStart, int StateLength, bool Checked);
