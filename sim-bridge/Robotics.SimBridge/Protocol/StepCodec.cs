using System.Buffers;
using System.Runtime.InteropServices;
using MessagePack;
using Robotics.Contract.Environments;

namespace Robotics.SimBridge.Protocol;

/// <summary>
/// The hot path: Step, StepReply and ResetReply written from and read into the <see cref="VectorStep"/>
/// arrays directly, with no intermediate byte[] per field. The bytes are exactly those that
/// MessagePackSerializer produces for <see cref="StepRequest"/>, <see cref="StepReply"/> and <see cref="ResetReply"/> (a test checks).
/// </summary>
public static class StepCodec
{
    private const int StepReplyFields = 10;

    // Replies of bridges before critic observations end after field 7; a client without them still reads those.
    private const int StepReplyFieldsWithoutCritic = 8;
    private const int EpisodeFields = 6;

    public static void WriteStepRequest(ref MessagePackWriter writer, ReadOnlySpan<float> actions)
    {
        writer.WriteArrayHeader(1);
        FloatBytes.WriteBin(ref writer, actions);
    }

    /// <summary>Returns the action bytes inside <paramref name="body"/> (no copy).</summary>
    public static ReadOnlyMemory<byte> ReadStepRequest(ReadOnlyMemory<byte> body)
    {
        try
        {
            return ReadStepRequestFields(body);
        }
        catch (OverflowException e)
        {
            throw OutOfRange(e);
        }
    }

    private static ReadOnlyMemory<byte> ReadStepRequestFields(ReadOnlyMemory<byte> body)
    {
        var reader = new MessagePackReader(body);
        int fields = reader.ReadArrayHeader();
        if (fields < 1)
        {
            throw new MessagePackSerializationException("Step needs field 0 (actions)");
        }

        var actions = ReadBin(ref reader);
        SkipRest(ref reader, fields - 1);
        return actions;
    }

    public static void WriteResetReply(ref MessagePackWriter writer, VectorStep step)
    {
        writer.WriteArrayHeader(2);
        FloatBytes.WriteBin(ref writer, step.Observations);
        FloatBytes.WriteBin(ref writer, step.CriticObservations);
    }

    /// <summary>Reads a reset reply into rows [envOffset, envOffset + envs) of <paramref name="into"/>.</summary>
    public static void ReadResetReply(ReadOnlyMemory<byte> body, VectorStep into, int envOffset, int envs)
    {
        try
        {
            ReadResetReplyFields(body, into, envOffset, envs);
        }
        catch (OverflowException e)
        {
            throw OutOfRange(e);
        }
    }

    private static void ReadResetReplyFields(ReadOnlyMemory<byte> body, VectorStep into, int envOffset, int envs)
    {
        var reader = new MessagePackReader(body);
        int fields = reader.ReadArrayHeader();
        if (fields < 1)
        {
            throw new MessagePackSerializationException("ResetReply needs field 0 (observations)");
        }

        int obs = into.ObservationSize, critic = into.CriticObservationSize;
        CopyFloats(ref reader, into.Observations.AsSpan(envOffset * obs, envs * obs), "observations");
        if (fields >= 2)
        {
            CopyFloats(ref reader, into.CriticObservations.AsSpan(envOffset * critic, envs * critic), "critic observations");
        }
        else if (critic > 0)
        {
            throw new MessagePackSerializationException($"ResetReply has no critic observations; the task has {critic}");
        }

        SkipRest(ref reader, fields - Math.Min(fields, 2));
    }

    public static void WriteStepReply(ref MessagePackWriter writer, VectorStep step)
    {
        int envs = step.NumEnvs;
        int obs = step.ObservationSize;
        int critic = step.CriticObservationSize;
        int finished = 0;
        for (int i = 0; i < envs; i++)
        {
            if (step.Terminated[i] || step.Truncated[i])
            {
                finished++;
            }
        }

        writer.WriteArrayHeader(StepReplyFields);
        FloatBytes.WriteBin(ref writer, step.Observations);
        FloatBytes.WriteBin(ref writer, step.Rewards);
        WriteFlags(ref writer, step.Terminated);
        WriteFlags(ref writer, step.Truncated);

        writer.WriteArrayHeader(finished);
        for (int i = 0; i < envs; i++)
        {
            if (step.Terminated[i] || step.Truncated[i])
            {
                writer.Write(i);
            }
        }

        writer.WriteBinHeader(finished * obs * sizeof(float));
        for (int i = 0; i < envs; i++)
        {
            if (step.Terminated[i] || step.Truncated[i])
            {
                writer.WriteRaw(MemoryMarshal.AsBytes(step.FinalObservationOf(i)));
            }
        }

        writer.WriteArrayHeader(step.Episodes.Count);
        foreach (var episode in step.Episodes)
        {
            writer.WriteArrayHeader(EpisodeFields);
            writer.Write(episode.Env);
            writer.Write(episode.Return);
            writer.Write(episode.Length);
            writer.Write(episode.Terminated);
            writer.Write(episode.Truncated);
            if (episode.Stats is null)
            {
                writer.WriteNil();
            }
            else
            {
                writer.WriteMapHeader(episode.Stats.Count);
                foreach (var (name, value) in episode.Stats)
                {
                    writer.Write(name);
                    writer.Write(value);
                }
            }
        }

        writer.Write(step.PhysicsResets);
        FloatBytes.WriteBin(ref writer, step.CriticObservations);
        writer.WriteBinHeader(finished * critic * sizeof(float));
        for (int i = 0; i < envs; i++)
        {
            if (step.Terminated[i] || step.Truncated[i])
            {
                writer.WriteRaw(MemoryMarshal.AsBytes(step.FinalCriticObservationOf(i)));
            }
        }
    }

    /// <summary>
    /// Reads a step reply of <paramref name="envs"/> environments into rows [envOffset, envOffset + envs) of
    /// <paramref name="into"/>, shifting environment indices by envOffset. Appends episodes and adds physics resets;
    /// the caller clears them before the first bridge of a step.
    /// </summary>
    public static void ReadStepReply(ReadOnlyMemory<byte> body, VectorStep into, int envOffset, int envs)
    {
        try
        {
            ReadStepReplyFields(body, into, envOffset, envs);
        }
        catch (OverflowException e)
        {
            throw OutOfRange(e);
        }
    }

    private static void ReadStepReplyFields(ReadOnlyMemory<byte> body, VectorStep into, int envOffset, int envs)
    {
        var reader = new MessagePackReader(body);
        int fields = reader.ReadArrayHeader();
        int critic = into.CriticObservationSize;
        if (fields < StepReplyFieldsWithoutCritic || (critic > 0 && fields < StepReplyFields))
        {
            throw new MessagePackSerializationException($"StepReply has {fields} fields, expected {(critic > 0 ? StepReplyFields : StepReplyFieldsWithoutCritic)}");
        }

        int obs = into.ObservationSize;
        CopyFloats(ref reader, into.Observations.AsSpan(envOffset * obs, envs * obs), "observations");
        CopyFloats(ref reader, into.Rewards.AsSpan(envOffset, envs), "rewards");
        ReadFlags(ref reader, into.Terminated.AsSpan(envOffset, envs), "terminated");
        ReadFlags(ref reader, into.Truncated.AsSpan(envOffset, envs), "truncated");

        int finished = reader.ReadArrayHeader();
        // The count comes off the network: a negative one (an array32 length above 2^31) would size the stack
        // allocation below at gigabytes, an overflow that ends the process.
        if ((uint)finished > (uint)envs)
        {
            throw new MessagePackSerializationException($"the reply lists {finished} finished environments; the batch holds {envs}");
        }

        Span<int> finalEnvs = finished <= 256 ? stackalloc int[finished] : new int[finished];
        for (int k = 0; k < finished; k++)
        {
            int env = reader.ReadInt32();
            if ((uint)env >= (uint)envs)
            {
                throw new MessagePackSerializationException($"final env index {env} is outside 0..{envs - 1}");
            }

            finalEnvs[k] = env;
        }

        var finals = ReadBin(ref reader).Span;
        if (finals.Length != finished * obs * sizeof(float))
        {
            throw new MessagePackSerializationException(
                $"final observations hold {finals.Length} bytes, expected {finished} × {obs} float32");
        }

        int rowBytes = obs * sizeof(float);
        for (int k = 0; k < finished; k++)
        {
            FloatBytes.CopyTo(finals.Slice(k * rowBytes, rowBytes), into.FinalObservationOf(envOffset + finalEnvs[k]));
        }

        int episodes = reader.ReadArrayHeader();
        for (int k = 0; k < episodes; k++)
        {
            int episodeFields = reader.ReadArrayHeader();
            if (episodeFields < 5)
            {
                throw new MessagePackSerializationException($"episode record has {episodeFields} fields, expected 5");
            }

            var record = new EpisodeRecord(
                envOffset + reader.ReadInt32(), reader.ReadDouble(), reader.ReadInt32(), reader.ReadBoolean(), reader.ReadBoolean());
            if (episodeFields > 5)
            {
                record = record with { Stats = ReadStats(ref reader) };
            }

            SkipRest(ref reader, episodeFields - EpisodeFields);
            into.Episodes.Add(record);
        }

        into.PhysicsResets += reader.ReadInt32();
        if (fields >= StepReplyFields)
        {
            CopyFloats(ref reader, into.CriticObservations.AsSpan(envOffset * critic, envs * critic), "critic observations");
            var criticFinals = ReadBin(ref reader).Span;
            if (criticFinals.Length != finished * critic * sizeof(float))
            {
                throw new MessagePackSerializationException(
                    $"final critic observations hold {criticFinals.Length} bytes, expected {finished} × {critic} float32");
            }

            int criticRowBytes = critic * sizeof(float);
            for (int k = 0; k < finished; k++)
            {
                FloatBytes.CopyTo(criticFinals.Slice(k * criticRowBytes, criticRowBytes), into.FinalCriticObservationOf(envOffset + finalEnvs[k]));
            }
        }

        SkipRest(ref reader, fields - Math.Min(fields, StepReplyFields));
    }

    /// <summary>
    /// A damaged or hostile body can hold an integer too large for its field (MessagePack's reader then throws
    /// <see cref="OverflowException"/>): that is a malformed message like any other, not a fault of the reader.
    /// </summary>
    private static MessagePackSerializationException OutOfRange(OverflowException e) =>
        new("a number in the message is out of range for its field", e);

    private static Dictionary<string, double>? ReadStats(ref MessagePackReader reader)
    {
        if (reader.TryReadNil())
        {
            return null;
        }

        int count = reader.ReadMapHeader();
        if (count < 0)
        {
            throw new MessagePackSerializationException($"episode stats claim {(uint)count} entries");
        }

        var stats = new Dictionary<string, double>(count);
        for (int i = 0; i < count; i++)
        {
            string name = reader.ReadString() ?? throw new MessagePackSerializationException("episode stat name is nil");
            stats[name] = reader.ReadDouble();
        }

        return stats;
    }

    private static void WriteFlags(ref MessagePackWriter writer, bool[] flags)
    {
        writer.WriteBinHeader(flags.Length);
        var span = writer.GetSpan(flags.Length);
        for (int i = 0; i < flags.Length; i++)
        {
            span[i] = flags[i] ? (byte)1 : (byte)0;
        }

        writer.Advance(flags.Length);
    }

    private static void ReadFlags(ref MessagePackReader reader, Span<bool> into, string field)
    {
        var bytes = ReadBin(ref reader).Span;
        if (bytes.Length != into.Length)
        {
            throw new MessagePackSerializationException($"{field} holds {bytes.Length} bytes, expected {into.Length}");
        }

        for (int i = 0; i < bytes.Length; i++)
        {
            into[i] = bytes[i] != 0;
        }
    }

    private static void CopyFloats(ref MessagePackReader reader, Span<float> into, string field)
    {
        var bytes = ReadBin(ref reader).Span;
        if (bytes.Length != into.Length * sizeof(float))
        {
            throw new MessagePackSerializationException(
                $"{field} hold {bytes.Length} bytes, expected {into.Length} float32 ({into.Length * sizeof(float)} bytes)");
        }

        FloatBytes.CopyTo(bytes, into);
    }

    /// <summary>A bin field as a slice of the body (the reader runs over one contiguous block, so no copy).</summary>
    private static ReadOnlyMemory<byte> ReadBin(ref MessagePackReader reader)
    {
        // MessagePack's reader also takes a str here (for the old spec); float arrays and flags are bin only.
        if (reader.NextMessagePackType != MessagePackType.Binary)
        {
            throw new MessagePackSerializationException($"expected bin, got {Describe(reader.NextMessagePackType)}");
        }

        var bytes = reader.ReadBytes() ?? throw new MessagePackSerializationException("expected bin, got nil");
        return bytes.IsSingleSegment ? bytes.First : bytes.ToArray();
    }

    private static string Describe(MessagePackType type) => type switch
    {
        MessagePackType.String => "str (float arrays are raw bytes in bin 8/16/32)",
        MessagePackType.Nil => "nil",
        _ => type.ToString().ToLowerInvariant(),
    };

    // Fields appended by a later version are skipped; nesting is bounded, since MessagePackReader.Skip recurses
    // without a limit and a damaged or hostile body of nested arrays would overflow the stack.
    private const int MaxSkippedDepth = 16;

    private static void SkipRest(ref MessagePackReader reader, int fields)
    {
        for (int i = 0; i < fields; i++)
        {
            SkipBounded(ref reader, 0);
        }
    }

    private static void SkipBounded(ref MessagePackReader reader, int depth)
    {
        if (depth > MaxSkippedDepth)
        {
            throw new MessagePackSerializationException($"a skipped field nests deeper than {MaxSkippedDepth} levels");
        }

        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Array:
                for (int n = reader.ReadArrayHeader(), i = 0; i < n; i++) SkipBounded(ref reader, depth + 1);
                break;
            case MessagePackType.Map:
                for (int n = reader.ReadMapHeader(), i = 0; i < 2 * n; i++) SkipBounded(ref reader, depth + 1);
                break;
            default:
                reader.Skip();
                break;
        }
    }
}
