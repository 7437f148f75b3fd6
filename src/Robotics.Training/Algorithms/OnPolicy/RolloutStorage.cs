namespace Robotics.Training.Algorithms.OnPolicy;

/// <summary>
/// One rollout of experience, row-major [steps, envs, ...] host arrays:
/// Observations [T, N, obs] (normalized), CriticObservations [T, N, critic obs] (normalized; empty without them), Actions [T, N, act] (the unclipped Gaussian samples),
/// LogProbs, Rewards (scaled), Values, Terminated, Truncated, FinalValues (V of the final observation
/// where truncated) [T, N]; NextValues [N] (V of the observation after the last step);
/// Advantages and Returns [T, N] once computed.
/// </summary>
public sealed class RolloutStorage
{
    public RolloutStorage(int steps, int envs, int observationSize, int actionSize, int criticObservationSize = 0)
    {
        CriticObservationSize = criticObservationSize;
        Steps = steps;
        Envs = envs;
        ObservationSize = observationSize;
        ActionSize = actionSize;
        int rows = steps * envs;
        Observations = new float[rows * observationSize];
        CriticObservations = new float[rows * criticObservationSize];
        Actions = new float[rows * actionSize];
        LogProbs = new float[rows];
        Rewards = new float[rows];
        Values = new float[rows];
        Terminated = new bool[rows];
        Truncated = new bool[rows];
        FinalValues = new float[rows];
        NextValues = new float[envs];
        Advantages = new float[rows];
        Returns = new float[rows];
    }

    public int Steps { get; }
    public int Envs { get; }
    public int ObservationSize { get; }
    public int ActionSize { get; }
    public int CriticObservationSize { get; }
    public int Rows => Steps * Envs;

    public float[] Observations { get; }
    public float[] CriticObservations { get; }
    public float[] Actions { get; }
    public float[] LogProbs { get; }
    public float[] Rewards { get; }
    public float[] Values { get; }
    public bool[] Terminated { get; }
    public bool[] Truncated { get; }
    public float[] FinalValues { get; }
    public float[] NextValues { get; }
    public float[] Advantages { get; }
    public float[] Returns { get; }

    /// <summary>Number of steps filled so far; a rollout is complete when it equals <see cref="Steps"/>.</summary>
    public int Filled { get; set; }

    public Span<float> ObservationsAt(int t) => Observations.AsSpan(t * Envs * ObservationSize, Envs * ObservationSize);
    public Span<float> CriticObservationsAt(int t) => CriticObservations.AsSpan(t * Envs * CriticObservationSize, Envs * CriticObservationSize);
    public Span<float> ActionsAt(int t) => Actions.AsSpan(t * Envs * ActionSize, Envs * ActionSize);
    public Span<float> Row(float[] array, int t) => array.AsSpan(t * Envs, Envs);
    public Span<bool> Row(bool[] array, int t) => array.AsSpan(t * Envs, Envs);

    public void ComputeAdvantages(double gamma, double lambda) =>
        Gae.Compute(Steps, Envs, gamma, lambda, Rewards, Values, Terminated, Truncated, FinalValues, NextValues, Advantages, Returns);
}
