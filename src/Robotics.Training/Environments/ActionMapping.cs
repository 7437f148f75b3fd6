using Robotics.Contract;
using Robotics.Contract.Environments;

namespace Robotics.Training.Environments;

/// <summary>
/// From the policy's normalized action a to the robot's units: command = offset + scale * clamp(a, -1, 1),
/// then clamped to the environment's action bounds (the contract's map, as the exported policy applies it).
/// </summary>
public sealed class ActionMapping
{
    private readonly float[] offset;
    private readonly float[] scale;
    private readonly float[] low;
    private readonly float[] high;

    public ActionMapping(EnvSpec spec)
        : this(spec.Contract, spec.ActionLow, spec.ActionHigh)
    {
    }

    public ActionMapping(PolicyContract contract, float[] low, float[] high)
    {
        int n = contract.ActionSize;
        if (contract.ActionOffset.Count != n || contract.ActionScale.Count != n || low.Length != n || high.Length != n)
            throw new ArgumentException($"the contract names {n} actuators but its action map or bounds have another size", nameof(contract));
        offset = contract.ActionOffset.Select(v => (float)v).ToArray();
        scale = contract.ActionScale.Select(v => (float)v).ToArray();
        this.low = low;
        this.high = high;
    }

    public int ActionSize => offset.Length;

    /// <summary>Maps a row-major batch [rows, ActionSize] of normalized actions into robot units.</summary>
    public void ToRobotUnits(ReadOnlySpan<float> normalized, Span<float> robot)
    {
        int n = ActionSize;
        for (int k = 0; k < normalized.Length; k++)
        {
            int j = k % n;
            float a = Math.Clamp(normalized[k], -1f, 1f);
            robot[k] = Math.Clamp(offset[j] + scale[j] * a, low[j], high[j]);
        }
    }
}
