using System.Globalization;
using System.Text;
using Robotics.Training.Configuration;
using Robotics.Training.Environments;
using Robotics.Training.Monitoring;
using Robotics.Training.Runner;
using static Robotics.Training.Tests.Runner.RunnerTestKit;

namespace Robotics.Training.Tests.Determinism;

/// <summary>
/// Short cartpole-balance runs of every algorithm, compared number for number (every metric of every update but the
/// timings) with values recorded in recorded-metrics.txt. Structure may change; training numbers may not. The configs
/// are written as YAML, as users write them, so the test reads the same whatever shape the config types take.
/// Set ROBOTICS_RECORD_METRICS=1 to write the file anew (the test then fails, so that a recording never passes as a check).
/// </summary>
public sealed class RecordedMetricsTests
{
    private const string RecordVariable = "ROBOTICS_RECORD_METRICS";

    public static TheoryData<string> Cases => new() { "ppo-analytic", "ppo-autograd", "a2c", "reinforce", "trpo", "sac" };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Short_cartpole_run_reproduces_the_recorded_metrics(string name)
    {
        var actual = Train(name);
        string file = Path.Combine(RepositoryRoot(), "tests/Robotics.Training.Tests/Determinism/recorded-metrics.txt");
        if (Environment.GetEnvironmentVariable(RecordVariable) == "1")
        {
            Record(file, name, actual);
            Assert.Fail($"recorded {actual.Count} values for {name} in {file}; unset {RecordVariable} to compare");
        }

        var recorded = Read(file, name);
        Assert.True(recorded.Count > 0, $"nothing recorded for {name} in {file}; run once with {RecordVariable}=1");
        Assert.Equal(recorded.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, value) in recorded)
            Assert.True(value == actual[key], $"{name} {key}: recorded {value}, got {actual[key]}");
    }

    /// <summary>Every metric of every update as "update N metric" → value, round-trip formatted, timings left out.</summary>
    private static SortedDictionary<string, string> Train(string name)
    {
        var config = TrainingConfigFile.Parse(Yaml(name), name + ".yaml");
        var records = new List<MetricRecord>();
        using var source = SimEnvironmentSource.ForTask(config.Task, threads: 1);
        new TrainingRunner(config, TempRunDir(), source) { OnUpdate = records.Add }.Train(new Quiet(), resume: false);

        var values = new SortedDictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < records.Count; i++)
        {
            foreach (var metric in records[i].Names.Where(m => !IsTiming(m)))
                values[$"update {i + 1} {metric}"] = records[i][metric].ToString("R", CultureInfo.InvariantCulture);
        }

        return values;
    }

    private static bool IsTiming(string metric) => metric.StartsWith("perf/", StringComparison.Ordinal) || metric == "charts/sps";

    internal static string Yaml(string name)
    {
        const string common = """
            task: cartpole-balance
            seed: 3
            num_envs: 4
            torch_threads: 1
            policy:
              hidden_sizes: [16, 16]
            evaluation:
              every_updates: 2
              episodes: 2
            checkpoint:
              every_updates: 2
            monitoring:
              tensorboard: false
              progress: never

            """;
        string algorithm = name switch
        {
            "ppo-analytic" or "ppo-autograd" => $"""
                algorithm: ppo
                total_steps: 512
                ppo:
                  rollout_steps: 32
                  epochs: 3
                  minibatches: 4
                  gradients: {name["ppo-".Length..]}
                """,
            "a2c" => """
                algorithm: a2c
                total_steps: 512
                a2c:
                  rollout_steps: 32
                  n_steps: 8
                """,
            "reinforce" => """
                algorithm: reinforce
                total_steps: 512
                reinforce:
                  rollout_steps: 32
                  baseline_steps: 2
                """,
            "trpo" => """
                algorithm: trpo
                total_steps: 512
                trpo:
                  rollout_steps: 32
                  value_epochs: 2
                  value_minibatches: 4
                  cg_iterations: 5
                """,
            "sac" => """
                algorithm: sac
                total_steps: 384
                sac:
                  steps_per_iteration: 16
                  buffer_size: 1000
                  learning_starts: 64
                  batch_size: 32
                  updates_per_step: 0.25
                """,
            _ => throw new ArgumentException(name),
        };
        return common + algorithm + "\n";
    }

    private static Dictionary<string, string> Read(string file, string name)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(file)) return values;
        foreach (var line in File.ReadLines(file))
        {
            var parts = line.Split('\t');
            if (parts.Length == 3 && parts[0] == name) values[parts[1]] = parts[2];
        }

        return values;
    }

    private static void Record(string file, string name, SortedDictionary<string, string> values)
    {
        var kept = File.Exists(file) ? File.ReadAllLines(file).Where(l => !l.StartsWith(name + "\t", StringComparison.Ordinal)) : [];
        var text = new StringBuilder();
        foreach (var line in kept) text.Append(line).Append('\n');
        foreach (var (key, value) in values) text.Append(name).Append('\t').Append(key).Append('\t').Append(value).Append('\n');
        File.WriteAllText(file, text.ToString());
    }
}
