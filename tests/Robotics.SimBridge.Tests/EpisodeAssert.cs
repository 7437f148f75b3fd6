using Robotics.Contract.Environments;

namespace Robotics.SimBridge.Tests;

/// <summary>Episode records compared by value, their stats included (a record compares its dictionary by reference).</summary>
internal static class EpisodeAssert
{
    public static void Same(IReadOnlyList<EpisodeRecord> expected, IReadOnlyList<EpisodeRecord> actual)
    {
        Assert.Equal(expected.Select(e => e with { Stats = null }), actual.Select(e => e with { Stats = null }));
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(
                expected[i].Stats?.OrderBy(kv => kv.Key, StringComparer.Ordinal),
                actual[i].Stats?.OrderBy(kv => kv.Key, StringComparer.Ordinal));
        }
    }
}
