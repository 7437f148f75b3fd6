using Robotics.Training.Checkpoints;

namespace Robotics.Training.Runner;

/// <summary>The run's counters while the loop runs; a checkpoint keeps them as <see cref="RunCounters"/>.</summary>
internal sealed class LoopState(RunCounters start)
{
    public int Iteration { get; set; } = start.Iteration;
    public long EnvSteps { get; set; } = start.EnvSteps;
    public double BestEvalReturn { get; set; } = start.BestEvalReturn;
    public double InitialEvalReturn { get; set; } = start.InitialEvalReturn;
    public int LowEvalStreak { get; set; } = start.LowEvalStreak;
    public int Recoveries { get; set; } = start.Recoveries;

    public RunCounters ToCounters() => new()
    {
        Iteration = Iteration,
        EnvSteps = EnvSteps,
        BestEvalReturn = BestEvalReturn,
        InitialEvalReturn = InitialEvalReturn,
        LowEvalStreak = LowEvalStreak,
        Recoveries = Recoveries,
    };
}
