using Robotics.Contract;
using Robotics.Training.Configuration;

namespace Robotics.Training.Tests.Configuration;

/// <summary>Every mistake in a training config is one line naming the file, the line, the key and what was expected.</summary>
public sealed class TrainingConfigErrorTests
{
    public static IEnumerable<object[]> ShippedConfigs() =>
        Directory.GetFiles(Path.Combine(Runner.RunnerTestKit.RepositoryRoot(), "configs/training"), "*.yaml").Select(f => new object[] { Path.GetFileName(f) });

    [Theory]
    [MemberData(nameof(ShippedConfigs))]
    public void Every_shipped_config_passes_the_checks(string file) =>
        Assert.NotNull(TrainingConfigFile.Load(Path.Combine(Runner.RunnerTestKit.RepositoryRoot(), "configs/training", file)));

    private static ConfigException Refused(string yaml) => Assert.Throws<ConfigException>(() => TrainingConfigFile.Parse(yaml, "bad.yaml"));

    private static void AssertOneLine(ConfigException error)
    {
        Assert.DoesNotContain('\n', error.Message);
        Assert.DoesNotContain("Robotics.", error.Message); // no .NET type names
        Assert.StartsWith("bad.yaml: ", error.Message);
    }

    [Fact]
    public void Bridge_keys_need_both_the_bridge_key_and_the_client_key()
    {
        var error = Refused("task: cartpole-balance\nbridge_keys:\n  server_key: bridge.pub\n");

        Assert.Equal("bridge_keys.client_key", error.Key);
        Assert.Contains("bridge_keys needs both server_key", error.Message);
        AssertOneLine(error);
    }

    [Fact]
    public void Bridge_keys_are_read_as_written()
    {
        var config = TrainingConfigFile.Parse("task: cartpole-balance\nbridge_keys:\n  server_key: keys/bridge.pub\n  client_key: keys/trainer.key\n", "ok.yaml");

        Assert.Equal(("keys/bridge.pub", "keys/trainer.key"), (config.BridgeKeys.ServerKey, config.BridgeKeys.ClientKey));
        var again = TrainingConfigFile.Parse(TrainingConfigFile.ToYaml(config), "again.yaml");
        Assert.Equal(config.BridgeKeys, again.BridgeKeys);
    }

    [Fact]
    public void Bridge_timeouts_reach_the_clients_and_survive_the_run_folder_copy()
    {
        var config = TrainingConfigFile.Parse("task: cartpole-balance\nbridge_timeouts:\n  reply_seconds: 20\n  make_seconds: 120\n  reconnect_attempts: 30\n", "ok.yaml");

        var options = Robotics.Training.Runner.EnvironmentChoice.RemoteOptions(config.BridgeKeys, config.BridgeTimeouts);

        Assert.Equal((TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(120)), (options.Timeout, options.MakeTimeout));
        Assert.Equal(30, config.BridgeTimeouts.ReconnectAttempts);
        Assert.Equal(config.BridgeTimeouts, TrainingConfigFile.Parse(TrainingConfigFile.ToYaml(config), "again.yaml").BridgeTimeouts);
    }

    [Fact]
    public void A_zero_reply_timeout_is_refused_naming_the_key()
    {
        var error = Refused("task: cartpole-balance\nbridge_timeouts:\n  reply_seconds: 0\n");

        Assert.Equal("bridge_timeouts.reply_seconds", error.Key);
        AssertOneLine(error);
    }

    [Fact]
    public void An_unknown_key_names_itself_its_section_its_line_and_the_nearest_known_keys()
    {
        var error = Refused("task: cartpole-balance\nppo:\n  epochs: 4\n  learnin_rate: 0.001\n");

        Assert.Equal("ppo.learnin_rate", error.Key);
        Assert.Contains("line 4", error.Message);
        Assert.Contains("in section 'ppo'", error.Message);
        Assert.Contains("nearest known keys: learning_rate", error.Message);
        AssertOneLine(error);
    }

    [Fact]
    public void An_unknown_top_level_key_says_so()
    {
        var error = Refused("task: cartpole-balance\nnum_env: 16\n");

        Assert.Equal("num_env", error.Key);
        Assert.Contains("at the top level", error.Message);
        Assert.Contains("num_envs", error.Message);
        AssertOneLine(error);
    }

    [Fact]
    public void A_word_where_a_list_of_widths_belongs_is_refused_with_an_example()
    {
        var error = Refused("task: cartpole-balance\npolicy:\n  hidden_sizes: big\n");

        Assert.Equal("policy.hidden_sizes", error.Key);
        Assert.Contains("line 3", error.Message);
        Assert.Contains("expected a list of whole numbers like [64, 64], got 'big'", error.Message);
        AssertOneLine(error);
    }

    [Fact]
    public void A_word_in_a_list_of_widths_is_named()
    {
        var error = Refused("task: cartpole-balance\npolicy:\n  hidden_sizes: [64, wide]\n");

        Assert.Equal("policy.hidden_sizes", error.Key);
        Assert.Contains("'wide'", error.Message);
    }

    [Fact]
    public void An_indentation_error_leads_with_the_line_and_what_to_check()
    {
        var error = Refused("task: cartpole-balance\nppo:\n  epochs: 4\n    minibatches: 8\n");

        Assert.Equal("bad.yaml", error.File);
        Assert.StartsWith("YAML syntax error at line 4", error.Problem);
        Assert.True(error.Problem.IndexOf("check the indentation", StringComparison.Ordinal) < error.Problem.IndexOf("Parser detail:", StringComparison.Ordinal), error.Problem);
        AssertOneLine(error);
    }

    [Fact]
    public void An_unclosed_bracket_is_a_syntax_error_with_its_line()
    {
        var error = Refused("task: cartpole-balance\nnum_envs: [16\nseed: 3\n");

        Assert.Contains("YAML syntax error", error.Message);
        Assert.Matches("line [23]", error.Message);
        Assert.DoesNotContain("type", error.Message);
        AssertOneLine(error);
    }

    [Fact]
    public void A_key_given_twice_is_refused_naming_both_lines()
    {
        var error = Refused("task: cartpole-balance\nppo:\n  epochs: 4\n  epochs: 8\n");

        Assert.Equal("ppo.epochs", error.Key);
        Assert.Contains("line 4", error.Message);
        Assert.Contains("given twice (first at line 3)", error.Message);
        AssertOneLine(error);
    }

    [Fact]
    public void A_rollout_batch_that_does_not_split_into_the_minibatches_is_refused()
    {
        var error = Refused("task: cartpole-balance\nnum_envs: 10\nppo:\n  rollout_steps: 10\n  minibatches: 32\n");

        Assert.Equal("ppo.minibatches", error.Key);
        Assert.Contains("line 5", error.Message);
        Assert.Contains("batch of 100", error.Message);
        Assert.Contains("4 samples would be dropped every epoch", error.Message);
        Assert.Contains("e.g. 25", error.Message);
        AssertOneLine(error);
    }

    [Fact]
    public void A_trpo_value_batch_that_does_not_split_is_refused()
    {
        var error = Refused("task: cartpole-balance\nalgorithm: trpo\nnum_envs: 3\ntrpo:\n  rollout_steps: 5\n  value_minibatches: 4\n");

        Assert.Equal("trpo.value_minibatches", error.Key);
        Assert.Contains("dropped every epoch", error.Message);
    }

    [Theory]
    [InlineData("task: cartpole-balance\nnum_envs: sixteen\n", "num_envs", "expected a whole number, got 'sixteen'")]
    [InlineData("task: cartpole-balance\nppo:\n  gamma: high\n", "ppo.gamma", "expected a number, got 'high'")]
    [InlineData("task: cartpole-balance\nnormalization:\n  observations: maybe\n", "normalization.observations", "expected true or false, got 'maybe'")]
    [InlineData("task: cartpole-balance\nppo: 3\n", "ppo", "expected a section of keys")]
    [InlineData("task: [a, b]\n", "task", "expected a text value, got a list")]
    public void A_value_of_the_wrong_kind_names_the_kind_expected(string yaml, string key, string expected)
    {
        var error = Refused(yaml);

        Assert.Equal(key, error.Key);
        Assert.Contains(expected, error.Message);
        AssertOneLine(error);
    }

    [Fact]
    public void A_value_refused_after_reading_names_its_line()
    {
        var error = Refused("task: cartpole-balance\n\ndevice: tpu\n");

        Assert.Equal("device", error.Key);
        Assert.Contains("line 3", error.Message);
    }
}
