using Robotics.Runtime.Commands;

namespace Robotics.Runtime.Tests.Commands;

public sealed class CommandSourceTests
{
    [Fact]
    public void A_profile_interpolates_between_rows_and_holds_past_the_ends()
    {
        var path = WriteProfile("time_s,vx,vy\n0,0,1\n2,1,3\n");
        var profile = CommandProfile.Load(path, size: 2, hold: false);
        var command = new double[2];

        profile.Read(1.0, command);
        Assert.Equal([0.5, 2.0], command);
        profile.Read(5.0, command);
        Assert.Equal([1.0, 3.0], command);
        profile.Read(-1.0, command);
        Assert.Equal([0.0, 1.0], command);
    }

    [Fact]
    public void A_held_profile_keeps_each_row_until_the_next()
    {
        var path = WriteProfile("0,0\n1,10\n");
        var profile = CommandProfile.Load(path, size: 1, hold: true);
        var command = new double[1];

        profile.Read(0.99, command);

        Assert.Equal(0.0, command[0]);
    }

    [Fact]
    public void A_profile_row_with_the_wrong_count_names_file_and_line()
    {
        var path = WriteProfile("0,1,2\n1,1\n");

        var error = Assert.Throws<FormatException>(() => CommandProfile.Load(path, size: 2, hold: false));

        Assert.Contains($"{path}:2", error.Message);
    }

    [Fact]
    public void Times_that_do_not_increase_are_refused()
    {
        var path = WriteProfile("1,0\n1,1\n");

        Assert.Throws<FormatException>(() => CommandProfile.Load(path, size: 1, hold: false));
    }

    [Fact]
    public void Live_lines_are_read_as_comma_separated_values_or_a_json_array()
    {
        Assert.Equal([0.4, 0, -0.1], LiveCommand.Parse("0.4,0,-0.1", 3, out _)!);
        Assert.Equal([0.4, 0, -0.1], LiveCommand.Parse("[0.4, 0, -0.1]", 3, out _)!);
        Assert.Null(LiveCommand.Parse("0.4,0", 3, out var tooFew));
        Assert.Contains("2 values", tooFew);
        Assert.Null(LiveCommand.Parse("0.4,NaN,0", 3, out var notFinite));
        Assert.Contains("NaN", notFinite);
    }

    [Fact]
    public void A_live_command_applies_good_lines_and_counts_bad_ones()
    {
        var live = new LiveCommand(new StringReader("1,2\nnot a number\n3,4\n"), [0, 0]);
        var command = new double[2];

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (live.Updates + live.Rejected < 3 && DateTime.UtcNow < deadline) Thread.Sleep(5);
        live.Read(0, command);

        Assert.Equal([3.0, 4.0], command);
        Assert.Equal(2, live.Updates);
        Assert.Equal(1, live.Rejected);
    }

    private static string WriteProfile(string text)
    {
        var path = Path.Combine(Path.GetTempPath(), $"robotics-profile-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, text);
        return path;
    }
}
