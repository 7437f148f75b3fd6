namespace Robotics.FirmwareInterface.Benchmarks;

/// <summary>
/// A robot for <see cref="SerialRoundTripBenchmark"/>: behind <see cref="DevicePath"/>, it answers every command
/// with a state whose first joint position is the command's first target.
/// </summary>
public interface IEchoingRobot : IDisposable
{
    string DevicePath { get; }

    /// <summary>Commands that reached the robot (the benchmark counts the others as lost).</summary>
    long CommandsReceived { get; }
}
