namespace Robotics.Runtime.Policy;

/// <summary>A policy file that cannot be run: the message says what is wrong with it and what to do.</summary>
public sealed class PolicyLoadException(string message, Exception? inner = null) : Exception(message, inner);
