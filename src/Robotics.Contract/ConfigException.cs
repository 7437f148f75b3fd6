namespace Robotics.Contract;

/// <summary>
/// A robot, task or training file that cannot be used. The message names the file, the key and what
/// was expected, so the user can fix the file without reading code.
/// </summary>
public sealed class ConfigException : Exception
{
    public ConfigException(string file, string key, string problem)
        : base($"{file}: '{key}': {problem}")
    {
        File = file;
        Key = key;
        Problem = problem;
    }

    public string File { get; }
    public string Key { get; }
    public string Problem { get; }
}
