using System.Runtime.InteropServices;
using Robotics.SimBridge;

namespace Robotics.Training.Runner;

/// <summary>A failure that ended a run, in words for one line (no stack trace, first line of the message only).</summary>
public static class FailureReason
{
    public static string Describe(Exception error) => error switch
    {
        IOException or UnauthorizedAccessException => $"cannot write to disk ({FirstLine(error.Message)})",
        BridgeException => $"the environments failed and could not be replaced ({FirstLine(error.Message)})",
        ExternalException => $"native error in libtorch ({FirstLine(error.Message)})",
        _ => $"{error.GetType().Name} ({FirstLine(error.Message)})",
    };

    private static string FirstLine(string text)
    {
        int end = text.IndexOfAny(['\r', '\n']);
        return (end < 0 ? text : text[..end]).Trim();
    }
}
