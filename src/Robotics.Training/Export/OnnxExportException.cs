namespace Robotics.Training.Export;

/// <summary>An export that was refused; nothing was written. The message says why.</summary>
public sealed class OnnxExportException(string message, Exception? inner = null) : Exception(message, inner);
