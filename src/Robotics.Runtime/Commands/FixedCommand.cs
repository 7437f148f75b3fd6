namespace Robotics.Runtime.Commands;

/// <summary>The same command for the whole run (<c>--command v1,v2,...</c>, or the middle of each trained range).</summary>
public sealed class FixedCommand(IReadOnlyList<double> values) : ICommandSource
{
    private readonly double[] values = values.ToArray();

    public int Size => values.Length;

    public void Read(double secondsSinceStart, Span<double> command) => values.CopyTo(command);
}
