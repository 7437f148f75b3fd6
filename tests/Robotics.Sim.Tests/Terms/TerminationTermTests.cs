using Robotics.Sim.Environments;
using Robotics.Sim.Tests.Tasks;

namespace Robotics.Sim.Tests.Terms;

public sealed class TerminationTermTests : IDisposable
{
    private const string Observe = "observations: [joint_positions]\nrewards: [alive]\n";
    private readonly TestTaskFiles files = new();

    public void Dispose() => files.Dispose();

    private (StepOutcome Outcome, int Steps) RunUntilDone(string sections, int maxSteps)
    {
        using var env = new SimEnvironment(files.Probe(Observe + sections, maxSteps));
        env.Reset(seed: 1);
        StepOutcome outcome;
        do
        {
            outcome = env.Step([0f, 0f]);
        }
        while (!outcome.Done);
        return (outcome, env.EpisodeStep);
    }

    [Fact]
    public void Time_limit_truncates_and_does_not_terminate()
    {
        var (outcome, steps) = RunUntilDone("", maxSteps: 5);

        Assert.Equal(5, steps);
        Assert.True(outcome.Truncated);
        Assert.False(outcome.Terminated);
    }

    [Fact]
    public void Height_bound_terminates_and_does_not_truncate()
    {
        // Rising at 1 m/s from 1 m, the block passes 1.1 m during the 6th step (20 ms each).
        var (outcome, steps) = RunUntilDone("""
            terminations: [{ term: height, body: block, max: 1.1 }]
            initial_state: { joints: { z: { velocity: [1, 1] } } }
            """, maxSteps: 100);

        Assert.True(outcome.Terminated);
        Assert.False(outcome.Truncated);
        Assert.InRange(steps, 5, 7);
    }

    [Fact]
    public void Termination_on_the_last_step_is_reported_as_terminated_only()
    {
        var (outcome, _) = RunUntilDone("""
            terminations: [{ term: tilt, body: block, max_angle: 0.1 }]
            initial_state: { joints: { pitch: { position: [0.2, 0.2] } } }
            """, maxSteps: 1);

        Assert.True(outcome.Terminated);
        Assert.False(outcome.Truncated);
    }

    [Fact]
    public void Tilt_bound_terminates_when_the_body_leans_past_the_angle()
    {
        // Turning at 2 rad/s, the block passes 0.5 rad during the 13th step.
        var (outcome, steps) = RunUntilDone("""
            terminations: [{ term: tilt, body: block, max_angle: 0.5 }]
            initial_state: { joints: { pitch: { velocity: [2, 2] } } }
            """, maxSteps: 100);

        Assert.True(outcome.Terminated);
        Assert.InRange(steps, 12, 14);
    }

    [Fact]
    public void Joint_position_bound_terminates()
    {
        var (outcome, steps) = RunUntilDone("""
            terminations: [{ term: joint_position, joint: x, min: -0.1 }]
            initial_state: { joints: { x: { velocity: [-1, -1] } } }
            """, maxSteps: 100);

        Assert.True(outcome.Terminated);
        Assert.InRange(steps, 5, 6);
    }
}
