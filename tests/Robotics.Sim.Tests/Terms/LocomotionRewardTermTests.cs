using System.Globalization;
using Robotics.Sim.Environments;
using Robotics.Sim.Tests.Tasks;

namespace Robotics.Sim.Tests.Terms;

/// <summary>The legged-robot reward terms, against values computed by hand or by ballistics.</summary>
public sealed class LocomotionRewardTermTests : IDisposable
{
    private const string Observe = "observations: [joint_positions]\n";

    // A ball on a vertical slide above a floor, under gravity: thrown up at v0 it is in the air for 2 v0 / g.
    private const string BallMjcf = """
        <mujoco model="ball">
          <option timestep="0.002" gravity="0 0 -10"/>
          <worldbody>
            <geom name="floor" type="plane" size="5 5 0.1"/>
            <body name="ball" pos="0 0 0.05">
              <joint name="z" type="slide" axis="0 0 1" damping="0"/>
              <geom name="foot" type="sphere" size="0.05" mass="1"/>
            </body>
          </worldbody>
          <actuator>
            <motor name="lift" joint="z" ctrllimited="true" ctrlrange="-1 1"/>
          </actuator>
        </mujoco>
        """;

    private const string BallRobot = """
        name: ball
        mjcf: ball.xml
        control_rate_hz: 100
        physics_decimation: 5
        joint_defaults: { velocity: 100, effort: 10 }
        joints:
          - { name: z, position: [-1, 1] }
        actuators:
          - { name: lift, joint: z, mode: effort, command: [-1, 1] }
        """;

    private readonly TestTaskFiles files = new();

    public LocomotionRewardTermTests() => files.WriteRobot("ball", BallMjcf, BallRobot);

    public void Dispose() => files.Dispose();

    [Fact]
    public void Vertical_velocity_is_the_squared_upward_speed()
    {
        var stats = ProbeAfterOneStep("""
            rewards: [{ term: vertical_velocity, body: block }]
            initial_state: { joints: { x: { velocity: [0.8, 0.8] }, z: { velocity: [0.3, 0.3] } } }
            """);

        Assert.Equal(0.09, stats["final/vertical_velocity"], 9);
    }

    [Fact]
    public void Tilt_rate_is_the_squared_roll_and_pitch_rate_in_body_axes()
    {
        var stats = ProbeAfterOneStep("""
            rewards: [{ term: tilt_rate, body: block }]
            initial_state: { joints: { pitch: { position: [0.7, 0.7], velocity: [0.5, 0.5] } } }
            """);

        Assert.Equal(0.25, stats["final/tilt_rate"], 9);
    }

    [Fact]
    public void Feet_air_time_pays_the_swing_time_beyond_the_target_at_touchdown()
    {
        // Thrown at 1 m/s: 0.2 s in the air, so a touchdown worth 0.2 - 0.08 s.
        double total = BallReturn(command: 0.5, target: 0.08);

        Assert.InRange(total, 0.12 - 0.02, 0.12 + 0.02);
    }

    [Fact]
    public void Feet_air_time_pays_nothing_while_the_command_is_to_stand()
    {
        Assert.Equal(0.0, BallReturn(command: 0.05, target: 0.08));
    }

    [Fact]
    public void Feet_air_time_refuses_a_foot_that_is_not_a_sphere()
    {
        var error = Assert.Throws<Robotics.Contract.ConfigException>(() => files.Load("bad", """
            robot: ball
            max_episode_steps: 10
            commands: [{ name: velocity, components: [forward], ranges: [[0.5, 0.5]] }]
            observations: [joint_positions]
            rewards: [{ term: feet_air_time, feet: [floor], target: 0.1 }]
            """));

        Assert.Contains("not a sphere", error.Message);
    }

    private IReadOnlyDictionary<string, double> ProbeAfterOneStep(string sections)
    {
        using var env = new SimEnvironment(files.Probe(Observe + sections));
        env.Reset(seed: 1);
        env.Step([0, 0]);
        return env.EpisodeStats();
    }

    private double BallReturn(double command, double target)
    {
        var task = files.Load("ball-" + Guid.NewGuid().ToString("N")[..8], $$"""
            robot: ball
            max_episode_steps: 40
            commands: [{ name: velocity, components: [forward], ranges: [[{{Invariant(command)}}, {{Invariant(command)}}]] }]
            observations: [joint_positions]
            rewards: [{ term: feet_air_time, feet: [foot], target: {{Invariant(target)}} }]
            initial_state: { joints: { z: { velocity: [1.0, 1.0] } } }
            """);
        using var env = new SimEnvironment(task);
        env.Reset(seed: 1);
        for (int i = 0; i < 40; i++)
            env.Step([0]);
        return env.EpisodeStats()["reward/feet_air_time"];
    }

    private static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);
}
