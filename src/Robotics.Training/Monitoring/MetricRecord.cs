namespace Robotics.Training.Monitoring;

/// <summary>The metrics of one update, by CleanRL-style namespaced names, in the order they were set.</summary>
public sealed class MetricRecord
{
    private readonly List<string> order = new();
    private readonly Dictionary<string, double> values = new();

    public IReadOnlyList<string> Names => order;

    public double this[string name]
    {
        get => values[name];
        set
        {
            if (!values.ContainsKey(name)) order.Add(name);
            values[name] = value;
        }
    }

    public bool TryGet(string name, out double value) => values.TryGetValue(name, out value);

    public double GetOrNaN(string name) => values.TryGetValue(name, out var v) ? v : double.NaN;
}
