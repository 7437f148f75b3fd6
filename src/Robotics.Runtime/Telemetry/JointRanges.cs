using Robotics.Contract;

namespace Robotics.Runtime.Telemetry;

/// <summary>The lowest and highest position and the largest |velocity| of each joint among the states a run read. Allocation-free.</summary>
public sealed class JointRanges
{
    private readonly double[] min;
    private readonly double[] max;
    private readonly double[] maxAbsVelocity;

    public JointRanges(IReadOnlyList<string> jointNames)
    {
        Names = jointNames;
        min = Enumerable.Repeat(double.PositiveInfinity, jointNames.Count).ToArray();
        max = Enumerable.Repeat(double.NegativeInfinity, jointNames.Count).ToArray();
        maxAbsVelocity = new double[jointNames.Count];
    }

    public IReadOnlyList<string> Names { get; }

    /// <summary>States seen.</summary>
    public long Samples { get; private set; }

    public void Add(RobotState state)
    {
        Samples++;
        var joints = Math.Min(min.Length, state.JointCount);
        for (int i = 0; i < joints; i++)
        {
            var q = state.JointPositions[i];
            if (q < min[i]) min[i] = q;
            if (q > max[i]) max[i] = q;
            maxAbsVelocity[i] = Math.Max(maxAbsVelocity[i], Math.Abs(state.JointVelocities[i]));
        }
    }

    /// <summary>One entry per joint, in contract order; empty before any state.</summary>
    public IReadOnlyList<JointRange> ToList() =>
        Samples == 0 ? [] : Names.Select((n, i) => new JointRange(n, min[i], max[i], maxAbsVelocity[i])).ToList();
}

/// <summary>How far one joint moved in a run, in its contract units.</summary>
public sealed record JointRange(string Joint, double PositionMin, double PositionMax, double MaxAbsVelocity)
{
    public double MaxAbsPosition => Math.Max(Math.Abs(PositionMin), Math.Abs(PositionMax));
}
