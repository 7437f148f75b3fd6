using System.Runtime.InteropServices;

namespace Robotics.Training.Algorithms.Sac;

/// <summary>
/// A ring of transitions, allocated once at its full capacity. Row-major shapes:
///   Observations, NextObservations [Capacity, ObservationSize]  raw (un-normalized) observations
///   Actions                         [Capacity, ActionSize]       policy actions in [-1, 1]
///   Rewards, Terminated             [Capacity]                   Terminated is 1 only for a true termination
/// A truncated transition keeps Terminated = 0 and the episode's final observation as its next
/// observation, so its target bootstraps from Q(final observation) as if the episode went on.
/// Observations are stored raw and normalized when sampled, so the critics always see the current statistics.
/// </summary>
public sealed class ReplayBuffer
{
    public ReplayBuffer(int capacity, int observationSize, int actionSize)
    {
        if (capacity <= 0) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "the replay buffer needs room for at least one transition");
        Capacity = capacity;
        ObservationSize = observationSize;
        ActionSize = actionSize;
        Observations = new float[(long)capacity * observationSize];
        NextObservations = new float[(long)capacity * observationSize];
        Actions = new float[(long)capacity * actionSize];
        Rewards = new float[capacity];
        Terminated = new float[capacity];
    }

    public int Capacity { get; }
    public int ObservationSize { get; }
    public int ActionSize { get; }

    /// <summary>Transitions held (at most <see cref="Capacity"/>).</summary>
    public int Count { get; private set; }

    /// <summary>The row the next transition is written to.</summary>
    public int Position { get; private set; }

    /// <summary>Transitions ever added; the ring overwrote the oldest ones beyond capacity.</summary>
    public long Added { get; private set; }

    public float[] Observations { get; }
    public float[] NextObservations { get; }
    public float[] Actions { get; }
    public float[] Rewards { get; }
    public float[] Terminated { get; }

    /// <summary>Writes one transition over the oldest when full.</summary>
    public void Add(ReadOnlySpan<float> observation, ReadOnlySpan<float> action, float reward, ReadOnlySpan<float> nextObservation, bool terminated)
    {
        observation.CopyTo(Observations.AsSpan(Position * ObservationSize, ObservationSize));
        action.CopyTo(Actions.AsSpan(Position * ActionSize, ActionSize));
        nextObservation.CopyTo(NextObservations.AsSpan(Position * ObservationSize, ObservationSize));
        Rewards[Position] = reward;
        Terminated[Position] = terminated ? 1f : 0f;
        Position = (Position + 1) % Capacity;
        Count = Math.Min(Count + 1, Capacity);
        Added++;
    }

    /// <summary>Copies the rows <paramref name="indices"/> (each below <see cref="Count"/>) into the batch arrays.</summary>
    public void Gather(ReadOnlySpan<long> indices, ReplayBatch into)
    {
        int o = ObservationSize, a = ActionSize;
        for (int b = 0; b < indices.Length; b++)
        {
            int row = (int)indices[b];
            if ((uint)row >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(indices), row, $"the buffer holds {Count} transitions");
            Observations.AsSpan(row * o, o).CopyTo(into.Observations.AsSpan(b * o, o));
            NextObservations.AsSpan(row * o, o).CopyTo(into.NextObservations.AsSpan(b * o, o));
            Actions.AsSpan(row * a, a).CopyTo(into.Actions.AsSpan(b * a, a));
            into.Rewards[b] = Rewards[row];
            into.Terminated[b] = Terminated[row];
        }
    }

    /// <summary>Writes the held rows (the whole arrays up to <see cref="Count"/>) and the ring position.</summary>
    public void Write(BinaryWriter writer)
    {
        writer.Write(Capacity);
        writer.Write(ObservationSize);
        writer.Write(ActionSize);
        writer.Write(Count);
        writer.Write(Position);
        writer.Write(Added);
        WriteRows(writer, Observations, Count * ObservationSize);
        WriteRows(writer, NextObservations, Count * ObservationSize);
        WriteRows(writer, Actions, Count * ActionSize);
        WriteRows(writer, Rewards, Count);
        WriteRows(writer, Terminated, Count);
    }

    public void Read(BinaryReader reader)
    {
        int capacity = reader.ReadInt32(), observationSize = reader.ReadInt32(), actionSize = reader.ReadInt32();
        if (capacity != Capacity || observationSize != ObservationSize || actionSize != ActionSize)
            throw new InvalidDataException($"the saved replay buffer is {capacity} x (obs {observationSize}, act {actionSize}); this run's is {Capacity} x (obs {ObservationSize}, act {ActionSize})");
        Count = reader.ReadInt32();
        Position = reader.ReadInt32();
        Added = reader.ReadInt64();
        ReadRows(reader, Observations, Count * ObservationSize);
        ReadRows(reader, NextObservations, Count * ObservationSize);
        ReadRows(reader, Actions, Count * ActionSize);
        ReadRows(reader, Rewards, Count);
        ReadRows(reader, Terminated, Count);
    }

    /// <summary>Forgets every transition (the arrays stay allocated).</summary>
    public void Clear()
    {
        Count = 0;
        Position = 0;
        Added = 0;
    }

    private static void WriteRows(BinaryWriter writer, float[] values, int length) =>
        writer.Write(MemoryMarshal.AsBytes(values.AsSpan(0, length)));

    private static void ReadRows(BinaryReader reader, float[] values, int length)
    {
        try
        {
            reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan(0, length)));
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("the checkpoint ends inside the replay buffer", e);
        }
    }
}

/// <summary>A sampled minibatch in row-major arrays, reused across updates (shapes as in <see cref="ReplayBuffer"/>, with BatchSize rows).</summary>
public sealed class ReplayBatch
{
    public ReplayBatch(int batchSize, int observationSize, int actionSize)
    {
        BatchSize = batchSize;
        Observations = new float[batchSize * observationSize];
        NextObservations = new float[batchSize * observationSize];
        Actions = new float[batchSize * actionSize];
        Rewards = new float[batchSize];
        Terminated = new float[batchSize];
    }

    public int BatchSize { get; }
    public float[] Observations { get; }
    public float[] NextObservations { get; }
    public float[] Actions { get; }
    public float[] Rewards { get; }
    public float[] Terminated { get; }
}
