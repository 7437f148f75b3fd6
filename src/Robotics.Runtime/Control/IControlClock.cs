namespace Robotics.Runtime.Control;

/// <summary>
/// Time as the control loop sees it, in <see cref="System.Diagnostics.Stopwatch"/> ticks (the timebase
/// of <see cref="Robotics.Contract.RobotState.ReceivedTicks"/>). Injected so scheduling can be tested
/// without real time passing.
/// </summary>
public interface IControlClock
{
    /// <summary>Ticks per second.</summary>
    long Frequency { get; }

    long Now { get; }

    /// <summary>Returns at or after <paramref name="deadline"/>, as close to it as the clock can.</summary>
    void WaitUntil(long deadline);
}
