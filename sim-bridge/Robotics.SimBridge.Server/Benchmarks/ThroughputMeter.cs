using System.Diagnostics;
using Robotics.Contract.Environments;

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
        step = VectorStep.For(spec);
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

    /// <summary>
    /// Steps for about <paramref name="duration"/>. Returns environment steps per second over that stretch and the
    /// CPU time per batch step that <paramref name="cpuClock"/> (e.g. the processes involved) consumed meanwhile.
    /// </summary>
    public Throughput Measure(TimeSpan duration, Func<TimeSpan>? cpuClock = null)
    {
        var cpuStart = cpuClock?.Invoke() ?? TimeSpan.Zero;
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

        var cpu = (cpuClock?.Invoke() ?? TimeSpan.Zero) - cpuStart;
        BatchSteps += steps;
        return new Throughput(steps * env.Spec.NumEnvs / ((now - start) / (double)Stopwatch.Frequency), cpu.TotalMicroseconds / steps);
    }
}

/// <summary>Environment steps per second, and CPU microseconds spent per batch step (0 without a CPU clock).</summary>
public readonly record struct Throughput(double EnvStepsPerSecond, double CpuMicrosecondsPerBatch);
