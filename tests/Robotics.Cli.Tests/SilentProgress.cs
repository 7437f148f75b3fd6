using Robotics.Training.Monitoring;

namespace Robotics.Cli.Tests;

/// <summary>Training progress that goes nowhere (a collection fixture has no test output to write to).</summary>
internal sealed class SilentProgress : IProgressReporter
{
    public void Update(long steps, MetricRecord record) { }

    public void Message(string text) { }
}
