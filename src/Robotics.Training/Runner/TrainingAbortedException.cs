namespace Robotics.Training.Runner;

/// <summary>
/// A run that stopped on a failure it could not work around. The message is the one line for the terminal: what
/// failed, what was saved, and how to continue; train.log holds the same line.
/// </summary>
public sealed class TrainingAbortedException(string message, Exception cause) : Exception(message, cause);
