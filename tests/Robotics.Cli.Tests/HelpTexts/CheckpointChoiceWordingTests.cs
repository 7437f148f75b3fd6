namespace Robotics.Cli.Tests.HelpTexts;

/// <summary>
/// Which checkpoint a run folder gives is said in export --help, eval --help and the docs; all must give the order
/// CheckpointFiles.Resolve uses (best, final policy, last, newest numbered), which a training test pins.
/// </summary>
public sealed class CheckpointChoiceWordingTests
{
    private static readonly string[] Order = ["best.ckpt", "policy.ckpt", "last.ckpt", "update_*.ckpt"];

    [Theory]
    [InlineData("export")]
    [InlineData("eval")]
    public void The_help_names_the_checkpoints_of_a_run_folder_in_the_order_they_are_chosen(string verb)
    {
        var help = RoboticsProcess.Run(Repository.Root, null, verb, "--help");

        Assert.Equal(0, help.ExitCode);
        AssertInOrder(help.Stdout);
    }

    [Theory]
    [InlineData("docs/training.md", "A run folder given to `eval` or `export` means")]
    [InlineData("docs/runtime.md", "The argument is a run folder")]
    public void The_docs_name_them_in_the_same_order(string file, string sentence)
    {
        string text = File.ReadAllText(Path.Combine(Repository.Root, file));
        int start = text.IndexOf(sentence, StringComparison.Ordinal);
        Assert.True(start >= 0, $"{file} no longer has: {sentence}");

        AssertInOrder(text.Substring(start, Math.Min(500, text.Length - start)));
    }

    private static void AssertInOrder(string text)
    {
        var positions = Order.Select(name => text.IndexOf(name, StringComparison.Ordinal)).ToArray();
        Assert.True(positions.All(p => p >= 0) && positions.Zip(positions.Skip(1)).All(pair => pair.First < pair.Second),
            $"expected {string.Join(", ", Order)} in this order in:\n{text}");
    }
}
