using Robotics.Training.Algorithms.Ppo;
using Robotics.Contract;
using Robotics.Training.Configuration;
using static Robotics.Training.Tests.Runner.RunnerTestKit;

namespace Robotics.Training.Tests.Configuration;

public sealed class TrainingConfigTests
{
    public static IEnumerable<object[]> ShippedPpoConfigs() =>
        Directory.GetFiles(Path.Combine(RepositoryRoot(), "configs/training"), "*-ppo.yaml").Select(f => new object[] { Path.GetFileName(f) });

    [Theory]
    [MemberData(nameof(ShippedPpoConfigs))]
    public void Shipped_ppo_config_is_valid_and_names_a_built_in_task(string file)
    {
        var config = TrainingConfigFile.Load(Path.Combine(RepositoryRoot(), "configs/training", file));
        Assert.Equal("ppo", config.Algorithm);
        Assert.True(File.Exists(Path.Combine(RepositoryRoot(), "configs/tasks", config.Task + ".yaml")), $"{file}: task {config.Task} has no file in configs/tasks");
    }

    [Fact]
    public void Missing_keys_take_the_documented_defaults()
    {
        var config = TrainingConfigFile.Parse("task: cartpole-balance\n", "t.yaml");
        Assert.Equal(3e-4, config.Options<PpoOptions>().LearningRate);
        Assert.Equal(0.2, config.Options<PpoOptions>().ClipCoef);
        Assert.Equal(0.95, config.Options<PpoOptions>().GaeLambda);
        Assert.Equal(0.99, config.Options<PpoOptions>().Gamma);
        Assert.Equal(10, config.Options<PpoOptions>().Epochs);
        Assert.Equal(32, config.Options<PpoOptions>().Minibatches);
        Assert.Equal(0.5, config.Options<PpoOptions>().MaxGradNorm);
        Assert.Equal("cpu", config.Device);
    }

    [Theory]
    [InlineData("task: cartpole-balance\nppo:\n  lr_schedule: step\n", "ppo.lr_schedule")]
    [InlineData("task: cartpole-balance\nppo:\n  gradients: numeric\n", "ppo.gradients")]
    [InlineData("task: cartpole-balance\nppo:\n  kl_stop: step\n  target_kl: 0.02\n", "ppo.kl_stop")]
    [InlineData("task: cartpole-balance\nppo:\n  kl_stop: minibatch\n", "ppo.kl_stop")]
    [InlineData("task: cartpole-balance\nppo:\n  lr_schedule: adaptive\n  desired_kl: 0\n", "ppo.desired_kl")]
    [InlineData("task: cartpole-balance\nppo:\n  lr_min: 0.1\n  lr_max: 0.01\n", "ppo.lr_min")]
    [InlineData("task: cartpole-balance\nppo:\n  lr_schedule: adaptive\n  learning_rate: 0.1\n", "ppo.learning_rate")]
    [InlineData("task: cartpole-balance\nalgorithm: dqn\n", "algorithm")]
    [InlineData("task: cartpole-balance\ndevice: tpu\n", "device")]
    [InlineData("task: cartpole-balance\npolicy:\n  activation: gelu\n", "policy.activation")]
    [InlineData("task: cartpole-balance\nmonitoring:\n  kl_alarm: -1\n", "monitoring.kl_alarm")]
    [InlineData("ppo:\n  epochs: 3\n", "task")]
    public void Invalid_value_is_refused_naming_the_key(string yaml, string key)
    {
        var error = Assert.Throws<ConfigException>(() => TrainingConfigFile.Parse(yaml, "bad.yaml"));
        Assert.Equal(key, error.Key);
        Assert.Equal("bad.yaml", error.File);
    }

    [Fact]
    public void Unknown_key_is_refused_with_its_line()
    {
        var error = Assert.Throws<ConfigException>(() => TrainingConfigFile.Parse("task: cartpole-balance\nppo:\n  learning_rat: 0.1\n", "bad.yaml"));
        Assert.Equal("ppo.learning_rat", error.Key);
        Assert.Contains("line 3", error.Message);
    }

    [Fact]
    public void Resolved_config_round_trips_through_yaml()
    {
        var config = TrainingConfigFile.Parse("task: reacher\nseed: 7\nppo:\n  target_kl: 0.015\n", "t.yaml");
        var again = TrainingConfigFile.Parse(TrainingConfigFile.ToYaml(config), "round-trip.yaml");
        Assert.Equal(TrainingConfigFile.ToYaml(config), TrainingConfigFile.ToYaml(again));
        Assert.Equal(0.015, again.Options<PpoOptions>().TargetKl);
        Assert.Equal(7, again.Seed);
    }

}
