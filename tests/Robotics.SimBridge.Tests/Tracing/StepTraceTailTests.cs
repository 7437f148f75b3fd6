using Robotics.SimBridge.Tracing;

namespace Robotics.SimBridge.Tests.Tracing;

public sealed class StepTraceTailTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("robotics-trace-tail-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Each_read_returns_only_the_whole_lines_added_since_the_last()
    {
        var path = Path.Combine(folder, "steps-1.csv");
        var tail = new StepTraceTail();
        File.WriteAllText(path, "a,1\nb,2\n");
        Assert.Equal(["a,1", "b,2"], tail.ReadNew(path));
        Assert.Empty(tail.ReadNew(path));

        // A block flushed in the middle of a row: "c,3" must not be read as the row "c,3" of a "c,345" yet to come.
        File.AppendAllText(path, "c,3");
        Assert.Empty(tail.ReadNew(path));
        File.AppendAllText(path, "45\nd,6\ne");
        Assert.Equal(["c,345", "d,6"], tail.ReadNew(path));
        File.AppendAllText(path, ",7\n");
        Assert.Equal(["e,7"], tail.ReadNew(path));
    }

    [Fact]
    public void Files_are_followed_apart_and_one_cut_shorter_is_read_from_its_start()
    {
        var first = Path.Combine(folder, "steps-1.csv");
        var second = Path.Combine(folder, "steps-2.csv");
        var tail = new StepTraceTail();
        File.WriteAllText(first, "a,1\nb,2\n");
        File.WriteAllText(second, "x,9\n");
        Assert.Equal(2, tail.ReadNew(first).Count);
        Assert.Equal(["x,9"], tail.ReadNew(second));

        File.WriteAllText(first, "z\n");
        Assert.Equal(["z"], tail.ReadNew(first));
    }
}
