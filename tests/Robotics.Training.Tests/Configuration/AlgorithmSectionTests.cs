using Robotics.Contract;
using Robotics.Training.Algorithms;
using Robotics.Training.Algorithms.Ppo;
using Robotics.Training.Configuration;

namespace Robotics.Training.Tests.Configuration;

/// <summary>An algorithm's registration alone makes its config section: read, checked, written and listed among the keys.</summary>
public sealed class AlgorithmSectionTests
{
    public static TheoryData<string> Algorithms => new(AlgorithmRegistry.Names);

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Each_registered_section_is_read_and_written_back(string name)
    {
        var config = TrainingConfigFile.Parse($"algorithm: {name}\ntask: cartpole-balance\n{name}:\n  gamma: 0.5\n", "test.yaml");
        var registration = AlgorithmRegistry.All.Single(r => r.Name == name);

        var options = config.Options(registration);
        Assert.IsType(registration.OptionsType, options);
        Assert.Equal(0.5, (double)registration.OptionsType.GetProperty("Gamma")!.GetValue(options)!);
        var again = TrainingConfigFile.Parse(TrainingConfigFile.ToYaml(config), "again.yaml");
        Assert.Equal(options, again.Options(registration));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Each_registered_section_checks_its_discount_with_the_line_of_the_key(string name)
    {
        var error = Assert.Throws<ConfigException>(() =>
            TrainingConfigFile.Parse($"algorithm: ppo\ntask: cartpole-balance\n{name}:\n  gamma: 1.5\n", "bad.yaml"));

        Assert.Equal($"{name}.gamma", error.Key);
        Assert.Equal("line 4: must be in (0, 1]", error.Problem);
    }

    [Fact]
    public void A_misspelt_section_names_the_registered_ones_nearest_to_it()
    {
        var error = Assert.Throws<ConfigException>(() => TrainingConfigFile.Parse("task: cartpole-balance\ntrp:\n  gamma: 0.9\n", "bad.yaml"));

        Assert.Equal("trp", error.Key);
        Assert.Contains("nearest known keys: trpo", error.Problem);
    }

    [Fact]
    public void A_section_left_out_takes_its_defaults_and_a_replaced_one_leaves_the_config_it_came_from_alone()
    {
        var config = new TrainingConfig();
        var changed = config.WithOptions(config.Options<PpoOptions>() with { Epochs = 3 });

        Assert.Equal(new PpoOptions(), config.Options<PpoOptions>());
        Assert.Equal(3, changed.Options<PpoOptions>().Epochs);
    }
}
