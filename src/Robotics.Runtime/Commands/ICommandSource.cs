namespace Robotics.Runtime.Commands;

/// <summary>
/// Where the operator's command that a policy observes comes from (the quadruped's velocity command, a target):
/// fixed for the run, a time-stamped profile, or a live feed. Read inside the control tick: must not allocate or block.
/// </summary>
public interface ICommandSource
{
    /// <summary>Values per command vector, in the order of the policy contract's commands.</summary>
    int Size { get; }

    /// <summary>Writes the command for <paramref name="secondsSinceStart"/> of driving into <paramref name="command"/>.</summary>
    void Read(double secondsSinceStart, Span<double> command);
}
