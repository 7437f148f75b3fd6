namespace Robotics.Contract.Environments;

/// <summary>
/// The one rule for a batch of actions entering a vector of environments, shared by every <see cref="IVectorEnv"/>
/// and by the bridge, which answers a fault with the same message (<c>BadShape</c> for the size,
/// <c>NonFiniteActions</c> otherwise). A batch holds exactly NumEnvs × ActionSize float32 values, all finite. A
/// finite value outside [ActionLow, ActionHigh] is not a fault: the environment clamps it, as an actuator saturates.
/// </summary>
public static class ActionBatch
{
    /// <summary>Throws <see cref="ActionBatchException"/> for the first fault of <paramref name="actions"/> (row-major [NumEnvs, ActionSize]).</summary>
    public static void Check(EnvSpec spec, ReadOnlySpan<float> actions)
    {
        CheckSize(spec, actions);
        CheckFinite(spec, actions);
    }

    /// <summary>The size rule alone: what a vector that cuts the batch between parts checks before it cuts.</summary>
    public static void CheckSize(EnvSpec spec, ReadOnlySpan<float> actions) => CheckByteSize(spec, actions.Length * sizeof(float));

    /// <summary>
    /// The size rule on the batch's length in bytes: what a reader of the bridge's wire applies before the bytes can be
    /// read as float32 values at all.
    /// </summary>
    public static void CheckByteSize(EnvSpec spec, int bytes)
    {
        int expected = spec.NumEnvs * spec.ActionSize;
        if (bytes != expected * sizeof(float))
        {
            throw new ActionBatchException(ActionBatchFault.WrongSize,
                $"actions hold {bytes} bytes; expected {spec.NumEnvs} envs × {spec.ActionSize} actions = {expected} float32 ({expected * sizeof(float)} bytes)");
        }
    }

    /// <summary>The finiteness rule alone, naming the first NaN or infinite value by environment and action index.</summary>
    public static void CheckFinite(EnvSpec spec, ReadOnlySpan<float> actions)
    {
        for (int k = 0; k < actions.Length; k++)
        {
            if (!float.IsFinite(actions[k]))
            {
                throw new ActionBatchException(ActionBatchFault.NotFinite,
                    $"action {k % spec.ActionSize} of env {k / spec.ActionSize} is {actions[k]}; every action must be finite");
            }
        }
    }
}

/// <summary>What is wrong with an action batch.</summary>
public enum ActionBatchFault
{
    /// <summary>Not NumEnvs × ActionSize float32 values.</summary>
    WrongSize,

    /// <summary>A value is NaN or ±infinity.</summary>
    NotFinite,
}

/// <summary>A batch of actions that breaks <see cref="ActionBatch"/>'s rule; the message is what the bridge sends back.</summary>
public sealed class ActionBatchException(ActionBatchFault fault, string message) : ArgumentException(message)
{
    public ActionBatchFault Fault { get; } = fault;
}
