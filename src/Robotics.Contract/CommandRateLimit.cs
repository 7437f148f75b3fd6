namespace Robotics.Contract;

/// <summary>
/// How fast a command may change: by at most <c>maxChangePerSecond</c> times the actuator's command range per
/// second, so by <c>maxChangePerSecond × range / rate</c> per control period. The runtime's safety layer holds every
/// command to it on the robot (<c>--max-change</c>); a task that declares <c>actions: max_change_per_second</c>
/// trains under the same rule, so that the policy never asks for what the safety layer would cut.
/// </summary>
public static class CommandRateLimit
{
    /// <summary>The largest change of <paramref name="actuator"/>'s command in one period at <paramref name="rateHz"/>.</summary>
    public static float MaxStep(ActuatorSpec actuator, double maxChangePerSecond, double rateHz) =>
        (float)(maxChangePerSecond * (actuator.CommandMax - actuator.CommandMin) / rateHz);

    /// <summary>
    /// Where limiting starts: the command that holds the robot where it is, the joint's measured position for a
    /// position servo and zero for effort and velocity actuators (zero too where the position is not finite), within
    /// [<paramref name="low"/>, <paramref name="high"/>].
    /// </summary>
    public static float HoldCommand(bool positionServo, double jointPosition, float low, float high)
    {
        var value = positionServo ? (float)jointPosition : 0f;
        return Math.Clamp(float.IsFinite(value) ? value : 0f, low, high);
    }

    /// <summary><paramref name="value"/>, moved no further than <paramref name="maxStep"/> from <paramref name="last"/>.</summary>
    public static float Limit(float value, float last, float maxStep)
    {
        var step = value - last;
        if (step > maxStep) return last + maxStep;
        if (step < -maxStep) return last - maxStep;
        return value;
    }
}
