using Robotics.Contract;
using Robotics.Contract.Environments;

namespace Robotics.Training.Tests.Fakes;

/// <summary>
/// A deterministic 1-D point mass: observation [x, v], action a force in [-2, 2] N; reward 1 - x^2 per
/// step; terminated when |x| > 2, truncated after <c>maxSteps</c>. Learnable in a few thousand steps.
/// With critic observations, the critic also sees the share of the episode's time that is left, a value only
/// the environment knows (as a simulator knows a robot's true velocity).
/// </summary>
public sealed class PointMassVectorEnv : IVectorEnv
{
    private const double Dt = 0.05;
    private readonly int maxSteps;
    private readonly bool criticObservations;
    private readonly double[] x, v, ret;
    private readonly int[] len;
    private Random[] rngs;

    public PointMassVectorEnv(int numEnvs, int maxSteps = 100, bool criticObservations = false)
    {
        this.maxSteps = maxSteps;
        this.criticObservations = criticObservations;
        x = new double[numEnvs];
        v = new double[numEnvs];
        ret = new double[numEnvs];
        len = new int[numEnvs];
        rngs = new Random[numEnvs];
        Spec = new EnvSpec(numEnvs, 2, 1, [-2f], [2f], Contract, Dt, maxSteps, criticObservations ? 1 : 0);
    }

    public static PolicyContract Contract { get; } = new(
        new RobotContract("point-mass", [new JointSpec("x", -2, 2, 10, 2)], [new ActuatorSpec("push", "x", "effort", -2, 2)], 20, 1, false),
        "point-mass-centre",
        [new ObservationTermSpec("joint_positions", ["x"], 1), new ObservationTermSpec("joint_velocities", ["x"], 1)],
        [0.0],
        [2.0]);

    public EnvSpec Spec { get; }
    public int StepCalls { get; private set; }

    /// <summary>When set, Step throws this once and clears it (a dying bridge).</summary>
    public Exception? FailNextStep { get; set; }

    public void Reset(int seed, VectorStep into)
    {
        rngs = Enumerable.Range(0, Spec.NumEnvs).Select(i => new Random(seed + i)).ToArray();
        for (int e = 0; e < Spec.NumEnvs; e++) ResetEnv(e);
        Write(into);
        into.Episodes.Clear();
    }

    public void Step(ReadOnlySpan<float> actions, VectorStep into)
    {
        ActionBatch.Check(Spec, actions);
        if (FailNextStep is { } failure)
        {
            FailNextStep = null;
            throw failure;
        }

        StepCalls++;
        into.Episodes.Clear();
        for (int e = 0; e < Spec.NumEnvs; e++)
        {
            double force = Math.Clamp(actions[e], -2f, 2f);
            v[e] += force * Dt;
            x[e] += v[e] * Dt;
            double reward = 1 - x[e] * x[e];
            ret[e] += reward;
            len[e]++;
            bool terminated = Math.Abs(x[e]) > 2;
            bool truncated = !terminated && len[e] >= maxSteps;
            into.Rewards[e] = (float)reward;
            into.Terminated[e] = terminated;
            into.Truncated[e] = truncated;
            if (terminated || truncated)
            {
                into.FinalObservations[2 * e] = (float)x[e];
                into.FinalObservations[2 * e + 1] = (float)v[e];
                if (criticObservations) into.FinalCriticObservations[e] = TimeLeft(e);
                into.Episodes.Add(new EpisodeRecord(e, ret[e], len[e], terminated, truncated));
                ResetEnv(e);
            }
        }

        Write(into);
    }

    public void Dispose()
    {
    }

    private void ResetEnv(int e)
    {
        x[e] = rngs[e].NextDouble() * 2 - 1;
        v[e] = rngs[e].NextDouble() - 0.5;
        ret[e] = 0;
        len[e] = 0;
    }

    private void Write(VectorStep into)
    {
        for (int e = 0; e < Spec.NumEnvs; e++)
        {
            into.Observations[2 * e] = (float)x[e];
            into.Observations[2 * e + 1] = (float)v[e];
            if (criticObservations) into.CriticObservations[e] = TimeLeft(e);
        }
    }

    private float TimeLeft(int e) => (float)(maxSteps - len[e]) / maxSteps;
}
