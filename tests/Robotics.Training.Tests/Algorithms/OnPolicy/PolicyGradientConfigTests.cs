using Robotics.Contract;
using Robotics.Training.Configuration;
using static Robotics.Training.Tests.Runner.RunnerTestKit;

namespace Robotics.Training.Tests.Algorithms.OnPolicy;

public sealed class PolicyGradientConfigTests
{
    [Theory]
    [InlineData("cartpole-balance-reinforce.yaml", "reinforce")]
    [InlineData("cartpole-balance-a2c.yaml", "a2c")]
    [InlineData("cartpole-balance-trpo.yaml", "trpo")]
    [InlineData("cartpole-swingup-reinforce.yaml", "reinforce")]
    [InlineData("cartpole-swingup-a2c.yaml", "a2c")]
    [InlineData("cartpole-swingup-trpo.yaml", "trpo")]
    [InlineData("reacher-reinforce.yaml", "reinforce")]
    [InlineData("reacher-a2c.yaml", "a2c")]
    [InlineData("reacher-trpo.yaml", "trpo")]
    public void Shipped_configs_load_and_name_their_algorithm(string file, string algorithm)
    {
        var config = TrainingConfigFile.Load(Path.Combine(RepositoryRoot(), "configs/training", file));
        Assert.Equal(algorithm, config.Algorithm);
    }

    [Theory]
    [InlineData("a2c:\n  advantage: td", "a2c.advantage")]
    [InlineData("a2c:\n  optimizer: sgd", "a2c.optimizer")]
    [InlineData("trpo:\n  max_kl: 0", "trpo.max_kl")]
    [InlineData("trpo:\n  line_search_shrink: 1.5", "trpo.line_search_shrink")]
    [InlineData("reinforce:\n  baseline_steps: 0", "reinforce.baseline_steps")]
    public void Bad_options_are_refused_naming_the_key(string section, string key)
    {
        var error = Assert.Throws<ConfigException>(() => TrainingConfigFile.Parse($"task: cartpole-balance\n{section}\n", "test.yaml"));
        Assert.Contains(key, error.Message);
    }
}
