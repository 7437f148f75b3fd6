using Robotics.Contract;

namespace Robotics.Training.Configuration;

/// <summary>
/// Checks the values of one section of a training config (or its top level) and reports the first problem as one
/// line naming the file, the line and the dotted key. The checks that several sections share are written here once.
/// </summary>
public sealed class ConfigCheck
{
    private static readonly string[] Schedules = ["constant", "linear", "cosine"];
    private readonly string file;
    private readonly IReadOnlyDictionary<string, int> lines;
    private readonly string section;

    /// <param name="lines">The line of each key written in the file, by dotted name; errors about those keys name it.</param>
    public ConfigCheck(string file, IReadOnlyDictionary<string, int> lines, string section = "")
    {
        this.file = file;
        this.lines = lines;
        this.section = section;
    }

    /// <summary>The same file, for the keys of section <paramref name="name"/>.</summary>
    public ConfigCheck Section(string name) => new(file, lines, name);

    /// <summary>Throws a <see cref="ConfigException"/> naming <paramref name="key"/> (within this section) unless <paramref name="ok"/>.</summary>
    public void Require(bool ok, string key, string problem)
    {
        if (ok) return;
        string dotted = section.Length == 0 ? key : $"{section}.{key}";
        throw new ConfigException(file, dotted, lines.TryGetValue(dotted, out int line) ? $"line {line}: {problem}" : problem);
    }

    public void Positive(double value, string key) => Require(value > 0, key, "must be positive");

    /// <summary>A discount factor, in (0, 1].</summary>
    public void Gamma(double gamma, string key = "gamma") => Require(gamma is > 0 and <= 1, key, "must be in (0, 1]");

    /// <summary>GAE's lambda, in [0, 1].</summary>
    public void GaeLambda(double lambda) => Require(lambda is >= 0 and <= 1, "gae_lambda", "must be in [0, 1]");

    /// <summary>A learning rate and its schedule: constant, linear or cosine, and any the section adds (PPO's adaptive).</summary>
    public void LearningRate(double rate, string schedule, params string[] moreSchedules)
    {
        Positive(rate, "learning_rate");
        string[] known = [.. Schedules, .. moreSchedules];
        Require(known.Contains(schedule), "lr_schedule", $"expected {string.Join(", ", known[..^1])} or {known[^1]}, got '{schedule}'");
    }

    /// <summary>Minibatches that split the batch of rollout_steps x num_envs evenly.</summary>
    public void Minibatches(int minibatches, int rolloutSteps, int numEnvs, string key)
    {
        int batch = rolloutSteps * numEnvs;
        Require(minibatches > 0 && minibatches <= batch, key, $"must be between 1 and the batch size ({batch} = rollout_steps x num_envs)");
        Require(batch % minibatches == 0, key, Indivisible(rolloutSteps, numEnvs, minibatches));
    }

    /// <summary>Why a batch that does not split evenly is refused: the remainder would be dropped every epoch.</summary>
    private static string Indivisible(int rolloutSteps, int numEnvs, int minibatches)
    {
        int batch = rolloutSteps * numEnvs;
        int below = Enumerable.Range(1, minibatches).Last(d => batch % d == 0);
        return $"the batch of {batch} (rollout_steps {rolloutSteps} x num_envs {numEnvs}) does not split into {minibatches} equal minibatches; " +
               $"{batch % minibatches} samples would be dropped every epoch. Use a divisor of {batch}, e.g. {below}";
    }
}
