using Robotics.Contract.CommandLine;
using Robotics.Runtime.Deployment;
using Robotics.SimBridge;
using Robotics.Training.Export;
using Robotics.Training.Runner;

namespace Robotics.Cli.Commands;

/// <summary>
/// The user-facing errors of the robotics command line, one list for every verb: the runtime's (model, contract,
/// link), the bridges', training's and export's, and TorchSharp's native library failing to load. Each becomes one
/// line and exit code 1 (<see cref="UserErrors"/>); anything else is a bug and shows its stack trace.
/// </summary>
internal static class CliErrors
{
    public static UserErrors Known { get; } = DeploymentErrors.Known
        .With<BridgeException>()
        .With<TrainingSetupException>()
        .With<TrainingAbortedException>()
        .With<OnnxExportException>()
        .With(e => e is TypeInitializationException { TypeName: { } type } && type.StartsWith("TorchSharp", StringComparison.Ordinal)
            ? $"this needs TorchSharp, whose native library did not load: {(e.InnerException ?? e).Message.Split('\n')[0]}"
            : null);

    /// <summary>The prefix of the training verbs' error lines (train, resume, eval, plot, compare, the training benchmarks).</summary>
    public const string TrainingPrefix = "error";

    /// <summary>Runs a training verb: its known errors are <c>error: message</c> and exit code 1.</summary>
    public static int Training(Func<int> body) => Known.Run(TrainingPrefix, body);

    /// <summary>The value of a count option, or an error naming the option when it is not positive.</summary>
    public static int Positive(int value, string option) =>
        value > 0 ? value : throw new ArgumentException($"{option} must be positive, got {value}");
}
