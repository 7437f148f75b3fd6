namespace Robotics.Training.Runner;

/// <summary>How the end of a run is put in words, the same in train.log and on the terminal.</summary>
public static class TrainingSummary
{
    /// <summary>"best evaluation return 12.34", or "no evaluation yet" when the run ended before its first evaluation.</summary>
    public static string BestEvaluation(double best) =>
        double.IsNaN(best) ? "no evaluation yet" : $"best evaluation return {best:F2}";

    /// <summary>
    /// "N steps", and by how much they pass total_steps: training stops after the update that reaches it, and an
    /// update always collects its whole rollout, so the last one can go past by up to one rollout.
    /// </summary>
    public static string Steps(long steps, long totalSteps) =>
        steps > totalSteps
            ? $"{steps} steps ({steps - totalSteps} past total_steps {totalSteps}: the last update completes its rollout)"
            : $"{steps} steps";
}
