namespace Robotics.Training.Monitoring;

/// <summary>train.log in the run folder: events a user should know about, each also shown on the terminal.</summary>
public sealed class TrainingLog : IDisposable
{
    private readonly StreamWriter file;
    private readonly Action<string> show;

    public TrainingLog(string path, Action<string> show)
    {
        file = new StreamWriter(path, append: true) { AutoFlush = true };
        this.show = show;
    }

    public void Info(string message) => Write("info", message);
    public void Warn(string message) => Write("warn", message);
    public void Error(string message) => Write("error", message);

    public void Dispose() => file.Dispose();

    private void Write(string level, string message)
    {
        string line = $"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ} {level} {message}";
        file.WriteLine(line);
        show($"[{level}] {message}");
    }
}
