namespace Robotics.Contract.CommandLine;

/// <summary>
/// The one place where a verb's exceptions become what the user sees. An exception this list knows (a config
/// mistake, a missing file, a full disk, a robot link or bridge that failed...) is one line on standard error,
/// <c>PREFIX: message</c>, and exit code <see cref="ExitCodes.Error"/>, with no stack trace; any other exception is a
/// bug and goes on to the command line library, which prints it with its stack trace. Each program extends
/// <see cref="Common"/> with the exceptions of the libraries it uses.
/// </summary>
public sealed class UserErrors
{
    private readonly Func<Exception, string?>[] describers;

    private UserErrors(Func<Exception, string?>[] describers) => this.describers = describers;

    /// <summary>What every program knows: its own command-line and config mistakes, damaged files, and files and disks that fail.</summary>
    public static UserErrors Common { get; } = new UserErrors([])
        .With<CommandLineException>()
        .With<ConfigException>()
        .With<ArgumentException>()
        .With<FormatException>()
        .With<InvalidDataException>()
        .With<System.Text.Json.JsonException>()
        .With<NotSupportedException>()
        .With<IOException>()
        .With<UnauthorizedAccessException>();

    /// <summary>This list and exceptions of type <typeparamref name="T"/>, told by their message.</summary>
    public UserErrors With<T>()
        where T : Exception => With(e => e is T ? e.Message : null);

    /// <summary>This list and the exceptions <paramref name="describe"/> gives a line for (null: not one of them).</summary>
    public UserErrors With(Func<Exception, string?> describe) => new([.. describers, describe]);

    /// <summary>The line for <paramref name="e"/> without its prefix, or null when it is not a known user-facing error.</summary>
    public string? Describe(Exception e)
    {
        foreach (var describe in describers)
        {
            if (describe(e) is { } line) return line;
        }

        return null;
    }

    /// <summary>
    /// Runs <paramref name="body"/> and returns its exit code; a known error is written to <paramref name="error"/>
    /// (standard error by default) as <c>PREFIX: message</c> (just the message when <paramref name="prefix"/> is null or the
    /// error is a <see cref="CommandLineException"/>) and returns <see cref="ExitCodes.Error"/>.
    /// </summary>
    public int Run(string? prefix, Func<int> body, TextWriter? error = null)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (Describe(e) is { } line)
        {
            (error ?? Console.Error).WriteLine(prefix is null || e is CommandLineException ? line : $"{prefix}: {line}");
            return ExitCodes.Error;
        }
    }
}
