using Robotics.Testing;
using Robotics.Sim.Mujoco;
using Robotics.Sim.Randomization;

namespace Robotics.Sim.Tests.Randomization;

public sealed class StepRandomizationTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Latency_of_k_steps_delays_the_action_by_exactly_k_steps(int k)
    {
        using var env = new RandomizerFixture(new RandomizationConfig { ActionLatencySteps = new IntRange(k, k) });
        var rng = new Random(10);
        env.Randomizer.OnReset(env.Data, rng);
        Assert.Equal(k, env.Randomizer.LastSample.ActionLatencySteps);
        var action = new float[2];

        for (int step = 0; step < 20; step++)
        {
            action[0] = step + 1;
            action[1] = -(step + 1);
            env.Randomizer.PerturbAction(action, rng);

            float expected = step < k ? 1 : step + 1 - k; // the first action until a delayed one is due
            Assert.Equal(expected, action[0]);
            Assert.Equal(-expected, action[1] + 0f);
        }
    }

    [Fact]
    public void Latency_history_restarts_at_each_reset()
    {
        using var env = new RandomizerFixture(new RandomizationConfig { ActionLatencySteps = new IntRange(2, 2) });
        var rng = new Random(11);
        env.Randomizer.OnReset(env.Data, rng);
        var action = new float[1];
        for (int step = 0; step < 5; step++)
        {
            action[0] = 7;
            env.Randomizer.PerturbAction(action, rng);
        }

        env.Randomizer.OnReset(env.Data, rng);
        action[0] = 9;
        env.Randomizer.PerturbAction(action, rng);
        Assert.Equal(9, action[0]); // nothing of the last episode leaks in
        action[0] = 10;
        env.Randomizer.PerturbAction(action, rng);
        Assert.Equal(9, action[0]);
        action[0] = 11;
        env.Randomizer.PerturbAction(action, rng);
        Assert.Equal(9, action[0]);
        env.Randomizer.PerturbAction(action, rng);
        Assert.Equal(10, action[0]);
    }

    [Fact]
    public void Zero_latency_passes_the_action_through()
    {
        using var env = new RandomizerFixture(new RandomizationConfig());
        var rng = new Random(12);
        env.Randomizer.OnReset(env.Data, rng);
        float[] action = [0.25f, -0.5f];

        env.Randomizer.PerturbAction(action, rng);

        Assert.Equal([0.25f, -0.5f], action);
    }

    [Fact]
    public void Latency_is_sampled_per_episode_within_its_range()
    {
        using var env = new RandomizerFixture(new RandomizationConfig { ActionLatencySteps = new IntRange(1, 3) });
        var rng = new Random(13);
        var seen = new HashSet<int>();

        for (int reset = 0; reset < 100; reset++)
        {
            env.Randomizer.OnReset(env.Data, rng);
            seen.Add(env.Randomizer.LastSample.ActionLatencySteps);
        }

        Assert.Equal([1, 2, 3], seen.Order());
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(2.0)]
    public void Observation_noise_has_the_configured_std(double std)
    {
        using var env = new RandomizerFixture(new RandomizationConfig { ObservationNoiseStd = std });
        var rng = new Random(14);
        env.Randomizer.OnReset(env.Data, rng);
        var observation = new float[100];
        var draws = new List<double>();

        for (int step = 0; step < 500; step++)
        {
            Array.Fill(observation, 3f);
            env.Randomizer.PerturbObservation(observation, rng);
            draws.AddRange(observation.Select(o => (double)o - 3));
        }

        (double mean, double measured) = MeanAndStd(draws);
        Assert.InRange(measured, std * 0.9, std * 1.1);
        Assert.InRange(mean, -std * 0.05, std * 0.05);
    }

    [Fact]
    public void Action_noise_has_the_configured_std_and_comes_before_latency()
    {
        const double std = 0.3;
        using var env = new RandomizerFixture(new RandomizationConfig { ActionNoiseStd = std, ActionLatencySteps = new IntRange(1, 1) });
        var rng = new Random(15);
        env.Randomizer.OnReset(env.Data, rng);
        var action = new float[50];
        var draws = new List<double>();

        for (int step = 0; step < 1000; step++)
        {
            Array.Fill(action, 1f);
            env.Randomizer.PerturbAction(action, rng);
            if (step > 0)
                draws.AddRange(action.Select(a => (double)a - 1));
        }

        (_, double measured) = MeanAndStd(draws);
        Assert.InRange(measured, std * 0.9, std * 1.1);
    }

    /// <summary>
    /// With a constant action, noise added before the latency and noise added after it look the same. Here each
    /// step's action differs and each call gets its own seeded Random, whose noise a randomizer without latency
    /// shows on zeros: the action applied at step t is the one sent at t - 1 with the noise drawn at t - 1.
    /// Mutation guarded: the noise added after the latency buffer (applied = a[t - 1] + noise[t]).
    /// </summary>
    [Fact]
    public void Action_noise_is_drawn_when_an_action_is_sent_and_delayed_with_it()
    {
        const double std = 0.3;
        using var delayed = new RandomizerFixture(new RandomizationConfig { ActionNoiseStd = std, ActionLatencySteps = new IntRange(1, 1) });
        using var noiseOnly = new RandomizerFixture(new RandomizationConfig { ActionNoiseStd = std });
        delayed.Randomizer.OnReset(delayed.Data, new Random(15));
        noiseOnly.Randomizer.OnReset(noiseOnly.Data, new Random(15));
        float[] previousSent = [], previousNoise = [];

        for (int step = 0; step < 20; step++)
        {
            var sent = Enumerable.Range(0, 4).Select(i => step * 0.5f + i).ToArray();
            var noise = new float[4];
            noiseOnly.Randomizer.PerturbAction(noise, new Random(1000 + step));
            var applied = sent.ToArray();
            delayed.Randomizer.PerturbAction(applied, new Random(1000 + step));

            if (step > 0)
            {
                for (int i = 0; i < 4; i++)
                    Assert.Equal(previousSent[i] + previousNoise[i], applied[i], 1e-5f);
            }

            previousSent = sent;
            previousNoise = noise;
        }
    }

    [Fact]
    public void Pushes_appear_for_their_duration_and_clear()
    {
        const double controlDt = 0.02;
        var push = new PushRandomization(RandomRange.Fixed(10), RandomRange.Fixed(0.5), 0.1, ["pole"]);
        using var env = new RandomizerFixture(new RandomizationConfig { Push = push });
        var rng = new Random(16);
        env.Randomizer.OnReset(env.Data, rng);
        int pole = env.Id(MjtObj.Body, "pole"), cart = env.Id(MjtObj.Body, "cart");
        var activeSteps = new List<int>();

        for (int step = 0; step < 100; step++)
        {
            env.Randomizer.BeforeControlStep(env.Data, controlDt, rng);
            ReadOnlySpan<double> force = env.Data.XfrcApplied.Slice(pole * 6, 3);
            double magnitude = Math.Sqrt(force[0] * force[0] + force[1] * force[1] + force[2] * force[2]);
            if (env.Randomizer.PushActive)
            {
                activeSteps.Add(step);
                Assert.Equal(10, magnitude, 9);
                Assert.Equal(0, force[2]); // horizontal by default
            }
            else
            {
                Assert.Equal(0, magnitude, 12);
            }
            Assert.All(env.Data.XfrcApplied.Slice(cart * 6, 6).ToArray(), f => Assert.Equal(0, f));
            for (int physicsStep = 0; physicsStep < 4; physicsStep++)
                env.Data.Step();
        }

        // 2 s (100 control steps) with a push every 0.5 s lasting 0.1 s (5 control steps): at 0.5, 1 and 1.5 s.
        Assert.Equal(3, env.Randomizer.PushCount);
        Assert.Equal([25, 26, 27, 28, 29, 50, 51, 52, 53, 54, 75, 76, 77, 78, 79], activeSteps);
    }

    [Fact]
    public void Pushes_are_random_in_direction_and_magnitude_within_range()
    {
        var push = new PushRandomization(new RandomRange(5, 15), new RandomRange(0.1, 0.2), 0.05, ["cart", "pole"], Horizontal: false);
        using var env = new RandomizerFixture(new RandomizationConfig { Push = push });
        var rng = new Random(17);
        env.Randomizer.OnReset(env.Data, rng);
        var pushedBodies = new HashSet<int>();
        bool sawVertical = false;

        for (int step = 0; step < 500; step++)
        {
            env.Randomizer.BeforeControlStep(env.Data, 0.01, rng);
            for (int body = 1; body < env.Model.Nbody; body++)
            {
                ReadOnlySpan<double> force = env.Data.XfrcApplied.Slice(body * 6, 3);
                double magnitude = Math.Sqrt(force[0] * force[0] + force[1] * force[1] + force[2] * force[2]);
                if (magnitude > 0)
                {
                    Assert.InRange(magnitude, 5 - 1e-9, 15 + 1e-9);
                    pushedBodies.Add(body);
                    sawVertical |= Math.Abs(force[2]) > 1;
                }
            }
        }

        Assert.Equal(2, pushedBodies.Count);
        Assert.True(sawVertical);
    }

    [Fact]
    public void Reset_ends_an_active_push()
    {
        var push = new PushRandomization(RandomRange.Fixed(10), RandomRange.Fixed(0.02), 1.0, ["pole"]);
        using var env = new RandomizerFixture(new RandomizationConfig { Push = push });
        var rng = new Random(18);
        env.Randomizer.OnReset(env.Data, rng);
        for (int step = 0; step < 3; step++)
            env.Randomizer.BeforeControlStep(env.Data, 0.02, rng);
        Assert.True(env.Randomizer.PushActive);

        env.Randomizer.OnReset(env.Data, rng);

        Assert.False(env.Randomizer.PushActive);
        Assert.All(env.Data.XfrcApplied.ToArray(), f => Assert.Equal(0, f));
    }

    [Fact]
    public void Per_step_methods_allocate_nothing()
    {
        var config = new RandomizationConfig
        {
            ObservationNoiseStd = 0.1,
            ActionNoiseStd = 0.1,
            ActionLatencySteps = new IntRange(2, 2),
            Push = new PushRandomization(new RandomRange(1, 2), new RandomRange(0.05, 0.1), 0.02, ["pole"]),
        };
        using var env = new RandomizerFixture(config);
        var rng = new Random(19);
        env.Randomizer.OnReset(env.Data, rng);
        var action = new float[2];
        var observation = new float[8];
        RunSteps(env, rng, action, observation, 10); // first call sizes the latency buffer

        Allocations.AssertOneCleanWindow(() => RunSteps(env, rng, action, observation, 1000), calls: 1, "1000 randomized steps");
        Assert.True(env.Randomizer.PushCount > 0);
    }

    [Fact]
    public void Same_seed_gives_the_same_perturbations()
    {
        var config = new RandomizationConfig
        {
            ObservationNoiseStd = 0.1,
            ActionNoiseStd = 0.2,
            ActionLatencySteps = new IntRange(0, 3),
            Push = new PushRandomization(new RandomRange(1, 20), new RandomRange(0.05, 0.3), 0.04, []),
        };
        using var first = new RandomizerFixture(config);
        using var second = new RandomizerFixture(config);

        Assert.Equal(Trace(first, new Random(20)), Trace(second, new Random(20)));
    }

    private static List<double> Trace(RandomizerFixture env, Random rng)
    {
        var trace = new List<double>();
        var action = new float[2];
        var observation = new float[3];
        for (int episode = 0; episode < 3; episode++)
        {
            env.Randomizer.OnReset(env.Data, rng);
            for (int step = 0; step < 50; step++)
            {
                action[0] = step;
                action[1] = -step;
                observation.AsSpan().Clear();
                env.Randomizer.BeforeControlStep(env.Data, 0.02, rng);
                env.Randomizer.PerturbAction(action, rng);
                env.Randomizer.PerturbObservation(observation, rng);
                trace.AddRange(action.Select(a => (double)a));
                trace.AddRange(observation.Select(o => (double)o));
                trace.AddRange(env.Data.XfrcApplied.ToArray());
            }
        }
        return trace;
    }

    private static void RunSteps(RandomizerFixture env, Random rng, float[] action, float[] observation, int steps)
    {
        for (int step = 0; step < steps; step++)
        {
            env.Randomizer.BeforeControlStep(env.Data, 0.01, rng);
            env.Randomizer.PerturbAction(action, rng);
            env.Randomizer.PerturbObservation(observation, rng);
        }
    }

    private static (double Mean, double Std) MeanAndStd(List<double> values)
    {
        double mean = values.Average();
        double variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);
        return (mean, Math.Sqrt(variance));
    }
}
