namespace Robotics.Contract.CommandLine;

/// <summary>
/// What the programs' exit codes mean, the same in robotics, robotics-runtime and robotics-sim-bridge (docs/runtime.md,
/// Exit codes). A verb may add codes above these for an outcome of its own (quickstart: 3, the pole fell).
/// </summary>
public static class ExitCodes
{
    /// <summary>The verb did what was asked.</summary>
    public const int Success = 0;

    /// <summary>
    /// The verb could not do what was asked: a mistake on the command line or in a file, a missing or damaged file, a
    /// robot link, bridge or disk that failed. One line on standard error says what and what to do.
    /// </summary>
    public const int Error = 1;

    /// <summary>The robot side said no: a run that ended in a fault, or a check that found the robot would be refused.</summary>
    public const int Fault = 2;
}
