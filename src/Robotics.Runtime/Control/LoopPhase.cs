namespace Robotics.Runtime.Control;

/// <summary>Where the control loop is in its life: waiting for the robot, driving it, ramping down, done.</summary>
public enum LoopPhase : byte
{
    WaitingForState,
    Running,
    RampingDown,
    Stopped,
}

/// <summary>Why the loop left <see cref="LoopPhase.Running"/>.</summary>
public enum StopReason : byte
{
    None,
    Requested,
    DurationElapsed,
    Fault,
}

/// <summary>A condition that made the loop stop on its own.</summary>
public enum FaultKind : byte
{
    None,
    NonFiniteAction,
    NonFiniteObservation,
    StaleState,
    NoStateAtStartup,
    LinkError,
    PolicyError,
}
