using Robotics.Sim.Environments;
using Robotics.Sim.Tests.Tasks;

namespace Robotics.Sim.Tests.Terms;

/// <summary>Reward terms on the probe block (no gravity, no contacts), against values computed by hand.</summary>
public sealed class RewardTermTests : IDisposable
{
    private const string Observe = "observations: [joint_positions]\n";
    private readonly TestTaskFiles files = new();

    public void Dispose() => files.Dispose();

    private IReadOnlyDictionary<string, double> AfterSteps(string sections, params float[][] actions)
    {
        using var env = new SimEnvironment(files.Probe(Observe + sections));
        env.Reset(seed: 1);
        foreach (var action in actions)
            env.Step(action);
        return env.EpisodeStats();
    }

    [Fact]
    public void Alive_gives_one_per_step()
    {
        var stats = AfterSteps("rewards: [alive]\n", [0, 0], [0, 0], [0, 0]);

        Assert.Equal(1.0, stats["final/alive"]);
        Assert.Equal(3.0, stats["reward/alive"]);
    }

    [Fact]
    public void Upright_is_half_of_one_plus_the_cosine_of_the_tilt()
    {
        var stats = AfterSteps("""
            rewards: [{ term: upright, body: block }]
            initial_state: { joints: { pitch: { position: [0.6, 0.6] } } }
            """, [0, 0]);

        Assert.Equal((1 + Math.Cos(0.6)) / 2, stats["final/upright"], 12);
    }

    [Fact]
    public void Height_is_the_squared_error_to_the_target()
    {
        var stats = AfterSteps("""
            rewards: [{ term: height, body: block, target: 1.0 }]
            initial_state: { joints: { z: { position: [0.25, 0.25] } } }
            """, [0, 0]);

        Assert.Equal(0.0625, stats["final/height"], 12);
    }

    [Fact]
    public void Forward_velocity_is_the_body_speed_along_the_axis_and_respects_the_cap()
    {
        string initial = "initial_state: { joints: { x: { velocity: [0.8, 0.8] }, z: { velocity: [0.3, 0.3] } } }\n";

        var along = AfterSteps("rewards: [{ term: forward_velocity, body: block }]\n" + initial, [0, 0]);
        var diagonal = AfterSteps("rewards: [{ term: forward_velocity, body: block, axis: [1, 0, 1] }]\n" + initial, [0, 0]);
        var capped = AfterSteps("rewards: [{ term: forward_velocity, body: block, max: 0.5 }]\n" + initial, [0, 0]);

        Assert.Equal(0.8, along["final/forward_velocity"], 9);
        Assert.Equal((0.8 + 0.3) / Math.Sqrt(2), diagonal["final/forward_velocity"], 9);
        Assert.Equal(0.5, capped["final/forward_velocity"], 12);
    }

    [Fact]
    public void Site_distance_is_the_distance_between_the_sites()
    {
        var stats = AfterSteps("""
            rewards: [{ term: site_distance, name: gap, sites: [a, b], weight: -1 }]
            initial_state: { joints: { z: { position: [0.3, 0.3] } } }
            """, [0, 0]);

        // a = (0.1, 0, 1.3), b = (0.5, 0, 1): distance 0.5; weighted by -1.
        Assert.Equal(0.5, stats["final/gap"], 12);
        Assert.Equal(-0.5, stats["reward/gap"], 12);
    }

    [Fact]
    public void Site_proximity_falls_exponentially_beyond_the_radius()
    {
        const string initial = "initial_state: { joints: { z: { position: [0.3, 0.3] } } }\n";

        var kernel = AfterSteps("rewards: [{ term: site_proximity, sites: [a, b], sigma: 0.25 }]\n" + initial, [0, 0]);
        var outside = AfterSteps("rewards: [{ term: site_proximity, sites: [a, b], sigma: 0.25, radius: 0.2 }]\n" + initial, [0, 0]);
        var inside = AfterSteps("rewards: [{ term: site_proximity, sites: [a, b], sigma: 0.25, radius: 0.6 }]\n" + initial, [0, 0]);

        // The sites are 0.5 m apart (as in the site_distance test).
        Assert.Equal(Math.Exp(-0.5 / 0.25), kernel["final/site_proximity"], 12);
        Assert.Equal(Math.Exp(-0.3 / 0.25), outside["final/site_proximity"], 12);
        Assert.Equal(1.0, inside["final/site_proximity"], 12);
    }

    [Fact]
    public void Site_proximity_requires_a_positive_sigma()
    {
        var error = Assert.Throws<Robotics.Contract.ConfigException>(() =>
            files.Probe(Observe + "rewards: [{ term: site_proximity, sites: [a, b], sigma: 0 }]\n"));

        Assert.Contains("sigma", error.Message);
    }

    [Fact]
    public void Joint_velocity_sums_the_squared_velocities_of_the_named_joints()
    {
        const string initial = "initial_state: { joints: { x: { velocity: [0.8, 0.8] }, z: { velocity: [0.3, 0.3] } } }\n";

        var robotJoints = AfterSteps("rewards: [joint_velocity]\n" + initial, [0, 0]);
        var named = AfterSteps("rewards: [{ term: joint_velocity, joints: [x, z] }]\n" + initial, [0, 0]);

        // No gravity, damping or push: the velocities stay. Robot joints are x and pitch (at rest).
        Assert.Equal(0.64, robotJoints["final/joint_velocity"], 9);
        Assert.Equal(0.64 + 0.09, named["final/joint_velocity"], 9);
    }

    [Fact]
    public void Action_magnitude_and_rate_use_normalized_actions()
    {
        var stats = AfterSteps("rewards: [action_magnitude, action_rate]\n", [1f, 0.5f], [-2f, 0.5f]);

        // Scales 2 and 1: step 1 ā = (0.5, 0.5), step 2 ā = (-1, 0.5).
        Assert.Equal(1.25, stats["final/action_magnitude"], 12);
        Assert.Equal(0.5 + 1.25, stats["reward/action_magnitude"], 12);
        Assert.Equal(2.25, stats["final/action_rate"], 12);
        Assert.Equal(0.5 + 2.25, stats["reward/action_rate"], 12);
    }

    [Fact]
    public void Joint_limit_sums_the_excess_beyond_the_penalty_free_range()
    {
        var stats = AfterSteps("""
            rewards: [{ term: joint_limit, margin: 0.5 }]
            initial_state: { joints: { x: { position: [0.7, 0.7] } } }
            """, [0, 0]);

        // x has limits [-1, 1]; margin 0.5 leaves [-0.5, 0.5] free; pitch is unlimited.
        Assert.Equal(0.2, stats["final/joint_limit"], 12);
    }

    [Fact]
    public void Velocity_tracking_is_one_on_the_command_and_falls_off_with_the_error()
    {
        const string command = "commands: [{ name: velocity, ranges: [[0.8, 0.8]] }]\n";
        const string reward = "rewards: [{ term: velocity_tracking, body: block, sigma: 0.5 }]\n";

        var exact = AfterSteps(command + reward + "initial_state: { joints: { x: { velocity: [0.8, 0.8] } } }\n", [0, 0]);
        var slow = AfterSteps(command + reward + "initial_state: { joints: { x: { velocity: [0.5, 0.5] } } }\n", [0, 0]);

        Assert.Equal(1.0, exact["final/velocity_tracking"], 9);
        Assert.Equal(Math.Exp(-0.09 / 0.25), slow["final/velocity_tracking"], 9);
    }

    [Fact]
    public void Velocity_tracking_counts_only_the_components_it_names()
    {
        const string command = "commands: [{ name: velocity, components: [forward, sideways], ranges: [[0.8, 0.8], [0.1, 0.1]] }]\n";
        const string initial = "initial_state: { joints: { x: { velocity: [0.5, 0.5] } } }\n";

        var both = AfterSteps(command + initial + "rewards: [{ term: velocity_tracking, body: block, sigma: 0.5 }]\n", [0, 0]);
        var sideways = AfterSteps(command + initial + "rewards: [{ term: velocity_tracking, body: block, sigma: 0.5, components: [sideways] }]\n", [0, 0]);

        Assert.Equal(Math.Exp(-(0.09 + 0.01) / 0.25), both["final/velocity_tracking"], 9);
        Assert.Equal(Math.Exp(-0.01 / 0.25), sideways["final/velocity_tracking"], 9);
        Assert.False(sideways.ContainsKey("tracking/forward_error"));
    }

    [Fact]
    public void Velocity_tracking_reports_the_mean_and_p95_absolute_error_of_each_component()
    {
        var stats = AfterSteps("""
            commands: [{ name: velocity, components: [forward, sideways], ranges: [[0.8, 0.8], [0.1, 0.1]] }]
            rewards: [{ term: velocity_tracking, body: block }]
            initial_state: { joints: { x: { velocity: [1.0, 1.0] } } }
            """, [0, 0], [0, 0], [0, 0], [0, 0]);

        // Faster than commanded: the error counts by its size, not its sign.
        Assert.Equal(0.2, stats["tracking/forward_error"], 9);
        Assert.Equal(0.2, stats["tracking/forward_error_p95"], 9);
        Assert.Equal(0.1, stats["tracking/sideways_error"], 9);
        Assert.Equal(0.1, stats["tracking/sideways_error_p95"], 9);
    }

    [Fact]
    public void Velocity_tracking_refuses_a_component_the_command_does_not_have()
    {
        var error = Assert.Throws<Robotics.Contract.ConfigException>(() => AfterSteps("""
            commands: [{ name: velocity, components: [forward, sideways], ranges: [[0.8, 0.8], [0.1, 0.1]] }]
            rewards: [{ term: velocity_tracking, body: block, components: [yaw_rate] }]
            """));

        Assert.Contains("no component 'yaw_rate'", error.Message);
        Assert.Contains("forward, sideways", error.Message);
    }

    [Fact]
    public void Reward_is_the_weighted_sum_of_the_terms()
    {
        using var env = new SimEnvironment(files.Probe(Observe + """
            rewards:
              - { term: alive, weight: 2 }
              - { term: action_magnitude, weight: -0.5 }
            """));
        env.Reset(seed: 1);

        var outcome = env.Step([2f, 0f]);

        Assert.Equal(2 - 0.5 * 1, outcome.Reward, 6);
    }
}
