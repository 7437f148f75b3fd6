using Robotics.Contract;
using Robotics.Contract.Environments;

namespace Robotics.SimBridge.Tests.Fakes;

/// <summary>
/// A deterministic stand-in for a physics env: each environment is a point x on a line pushed by its two actions.
/// Terminates when |x| > 1, truncates after <see cref="MaxSteps"/> steps, resets itself, and derives every
/// random start from its seed, so two instances with the same seed and actions agree bitwise.
/// </summary>
public sealed class ToyVectorEnv : IVectorEnv
{
    public const int MaxSteps = 6;
    private readonly float[] x;
    private readonly int[] steps;
    private readonly double[] returns;
    private readonly uint[] rng;

    public ToyVectorEnv(int numEnvs)
    {
        x = new float[numEnvs];
        steps = new int[numEnvs];
        returns = new double[numEnvs];
        rng = new uint[numEnvs];
        Spec = new EnvSpec(numEnvs, 3, 2, [-1f, -0.5f], [1f, 0.5f], Contract, 0.02, MaxSteps);
    }

    public static PolicyContract Contract { get; } = new(
        new RobotContract(
            "toy",
            [new JointSpec("slide", -2, 2, 10, 5)],
            [new ActuatorSpec("push", "slide", "effort", -1, 1), new ActuatorSpec("nudge", "slide", "effort", -0.5, 0.5)],
            50,
            1,
            false),
        "toy-task",
        [new ObservationTermSpec("toy", ["x", "progress", "last_push"], 3)],
        [0, 0],
        [1, 0.5]);

    public EnvSpec Spec { get; }
    public bool Disposed { get; private set; }

    /// <summary>Set by the randomization fake: added to every start position.</summary>
    public float StartOffset { get; set; }

    public void Reset(int seed, VectorStep into)
    {
        for (int i = 0; i < x.Length; i++)
        {
            rng[i] = (uint)(seed + i) * 2654435761u + 12345u;
            Restart(i);
            Observe(i, 0f, into.ObservationOf(i));
        }
    }

    public void Step(ReadOnlySpan<float> actions, VectorStep into)
    {
        ActionBatch.Check(Spec, actions);
        into.Episodes.Clear();
        into.PhysicsResets = 0;
        for (int i = 0; i < x.Length; i++)
        {
            float push = actions[2 * i];
            x[i] += 0.3f * push + 0.1f * actions[2 * i + 1];
            steps[i]++;
            float reward = 1f - x[i] * x[i];
            returns[i] += reward;
            into.Rewards[i] = reward;
            bool terminated = MathF.Abs(x[i]) > 1f;
            bool truncated = !terminated && steps[i] >= MaxSteps;
            into.Terminated[i] = terminated;
            into.Truncated[i] = truncated;
            if (terminated || truncated)
            {
                Observe(i, push, into.FinalObservationOf(i));
                into.Episodes.Add(new EpisodeRecord(i, returns[i], steps[i], terminated, truncated));
                Restart(i);
                Observe(i, 0f, into.ObservationOf(i));
            }
            else
            {
                Observe(i, push, into.ObservationOf(i));
            }
        }
    }

    private void Restart(int i)
    {
        rng[i] = rng[i] * 1664525u + 1013904223u;
        x[i] = ((rng[i] >> 8) / (float)(1 << 24) - 0.5f) * 0.5f + StartOffset;
        steps[i] = 0;
        returns[i] = 0;
    }

    private void Observe(int i, float push, Span<float> obs)
    {
        obs[0] = x[i];
        obs[1] = steps[i] / (float)MaxSteps;
        obs[2] = push;
    }

    public void Dispose() => Disposed = true;
}
