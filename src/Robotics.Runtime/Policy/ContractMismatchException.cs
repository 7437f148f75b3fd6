namespace Robotics.Runtime.Policy;

/// <summary>The policy was trained for a robot other than the one connected; <see cref="Differences"/> names each difference.</summary>
public sealed class ContractMismatchException(IReadOnlyList<string> differences)
    : Exception("the policy's contract differs from the robot's; refusing to drive it:\n  " + string.Join("\n  ", differences))
{
    public IReadOnlyList<string> Differences { get; } = differences;
}
