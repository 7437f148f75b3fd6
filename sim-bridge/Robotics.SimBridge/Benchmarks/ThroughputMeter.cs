using System.Diagnostics;
using Robotics.Sim.Environments;

namespace Robotics.SimBridge.Benchmarks;

/// <summary>Environment steps per second of any vector env, driven by uniform random actions within the action limits.</summary>
public sealed class ThroughputMeter
{
    private const int ActionBatches = 16;
    private readonly IVectorEnv env;
    private readonly VectorStep step;
    private readonly float[][] actions;

    public ThroughputMeter(IVectorEnv env, int seed)
    {
        this.env = env;
        var spec = env.Spec;
        step = new VectorStep(spec.NumEnvs, spec.ObservationSize);
        // Pre-drawn so that drawing random numbers is not part of what is measured.
        var random = new Random(seed);
        actions = new float[ActionBatches][];
        for (int b = 0; b < ActionBatches; b++)
        {
            actions[b] = new float[spec.NumEnvs * spec.ActionSize];
            for (int i = 0; i < actions[b].Length; i++)
            {
                int a = i % spec.ActionSize;
                actions[b][i] = spec.ActionLow[a] + (float)random.NextDouble() * (spec.ActionHigh[a] - spec.ActionLow[a]);
            }
        }

        env.Reset(seed, step);
    }

    public long BatchSteps { get; private set; }

    /// <summary>Steps for about <paramref name="duration"/>; returns environment steps per second over that stretch.</summary>
    public double Measure(TimeSpan duration)
    {
        long start = Stopwatch.GetTimestamp();
        long end = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        long steps = 0;
        long now;
        do
        {
            env.Step(actions[(BatchSteps + steps) % ActionBatches], step);
            steps++;
            now = Stopwatch.GetTimestamp();
        }
        while (now < end);

        BatchSteps += steps;
        return steps * env.Spec.NumEnvs / ((now - start) / (double)Stopwatch.Frequency);
    }
}
