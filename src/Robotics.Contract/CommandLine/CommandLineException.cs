namespace Robotics.Contract.CommandLine;

/// <summary>
/// A mistake on the command line that the verb itself found (two options that do not go together, a value out of
/// range): its message is the whole line the user sees, with no prefix, and the exit code is <see cref="ExitCodes.Error"/>.
/// </summary>
public sealed class CommandLineException(string message) : Exception(message);
