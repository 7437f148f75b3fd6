using Robotics.Training.Algorithms.Sac;

namespace Robotics.Training.Tests.Algorithms.Sac;

public sealed class ReplayBufferTests
{
    [Fact]
    public void Full_buffer_wraps_around_and_overwrites_the_oldest_transitions()
    {
        var buffer = new ReplayBuffer(capacity: 3, observationSize: 2, actionSize: 1);

        // Transition k has observation [k, -k], action k / 10, reward k, next observation [k + 0.5, 0].
        for (int k = 0; k < 5; k++) Add(buffer, k, terminated: k == 3);

        Assert.Equal(3, buffer.Count);
        Assert.Equal(2, buffer.Position);
        Assert.Equal(5, buffer.Added);
        // Rows 0 and 1 now hold transitions 3 and 4; row 2 still holds transition 2.
        Assert.Equal(new[] { 3f, 4f, 2f }, buffer.Rewards);
        Assert.Equal(new[] { 3f, -3f, 4f, -4f, 2f, -2f }, buffer.Observations);
        Assert.Equal(new[] { 1f, 0f, 0f }, buffer.Terminated);

        var batch = new ReplayBatch(batchSize: 2, observationSize: 2, actionSize: 1);
        buffer.Gather([2, 0], batch);
        Assert.Equal(new[] { 2f, -2f, 3f, -3f }, batch.Observations);
        Assert.Equal(new[] { 2.5f, 0f, 3.5f, 0f }, batch.NextObservations);
        Assert.Equal(new[] { 0.2f, 0.3f }, batch.Actions);
        Assert.Equal(new[] { 2f, 3f }, batch.Rewards);
        Assert.Equal(new[] { 0f, 1f }, batch.Terminated);
    }

    [Fact]
    public void Gather_refuses_rows_that_hold_no_transition_yet()
    {
        var buffer = new ReplayBuffer(capacity: 4, observationSize: 1, actionSize: 1);
        Add(buffer, 0, terminated: false);

        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Gather([1], new ReplayBatch(1, 1, 1)));
    }

    [Fact]
    public void Saved_buffer_reads_back_with_its_rows_and_ring_position()
    {
        var buffer = new ReplayBuffer(capacity: 3, observationSize: 2, actionSize: 1);
        for (int k = 0; k < 4; k++) Add(buffer, k, terminated: k == 1);
        using var memory = new MemoryStream();
        using (var writer = new BinaryWriter(memory, System.Text.Encoding.UTF8, leaveOpen: true)) buffer.Write(writer);

        var copy = new ReplayBuffer(capacity: 3, observationSize: 2, actionSize: 1);
        memory.Position = 0;
        using (var reader = new BinaryReader(memory)) copy.Read(reader);

        Assert.Equal(buffer.Count, copy.Count);
        Assert.Equal(buffer.Position, copy.Position);
        Assert.Equal(buffer.Added, copy.Added);
        Assert.Equal(buffer.Observations, copy.Observations);
        Assert.Equal(buffer.NextObservations, copy.NextObservations);
        Assert.Equal(buffer.Actions, copy.Actions);
        Assert.Equal(buffer.Rewards, copy.Rewards);
        Assert.Equal(buffer.Terminated, copy.Terminated);
    }

    [Fact]
    public void Saved_buffer_of_another_size_is_refused_with_both_sizes_named()
    {
        var buffer = new ReplayBuffer(capacity: 3, observationSize: 2, actionSize: 1);
        using var memory = new MemoryStream();
        using (var writer = new BinaryWriter(memory, System.Text.Encoding.UTF8, leaveOpen: true)) buffer.Write(writer);

        memory.Position = 0;
        var error = Assert.Throws<InvalidDataException>(() => new ReplayBuffer(5, 2, 1).Read(new BinaryReader(memory)));
        Assert.Contains("3 x (obs 2, act 1)", error.Message);
        Assert.Contains("5 x (obs 2, act 1)", error.Message);
    }

    private static void Add(ReplayBuffer buffer, int k, bool terminated)
    {
        var obs = buffer.ObservationSize == 2 ? new[] { (float)k, -k } : new[] { (float)k };
        var next = buffer.ObservationSize == 2 ? new[] { k + 0.5f, 0f } : new[] { k + 0.5f };
        buffer.Add(obs, [k / 10f], k, next, terminated);
    }
}
