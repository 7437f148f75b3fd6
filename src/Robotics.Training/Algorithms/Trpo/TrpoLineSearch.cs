namespace Robotics.Training.Algorithms.Trpo;

/// <summary>
/// TRPO's backtracking line search along the natural-gradient step: try fractions 1, s, s^2, ... of the full
/// step and take the first whose surrogate improves on the old one and whose mean KL stays within the bound.
/// When none does, the step is rejected and the policy stays where it was.
/// </summary>
public static class TrpoLineSearch
{
    /// <summary>What the search found: the accepted fraction (0 when rejected), steps tried, and the figures at the last one tried.</summary>
    public readonly record struct Result(bool Accepted, double Fraction, int Steps, double Kl, double Improvement);

    /// <param name="evaluate">sets the policy to old + fraction * full step and returns (surrogate, mean KL) there</param>
    public static Result Run(Func<double, (double Surrogate, double Kl)> evaluate, double oldSurrogate, double maxKl, int maxSteps, double shrink)
    {
        double fraction = 1.0;
        double kl = double.NaN, improvement = double.NaN;
        for (int step = 1; step <= maxSteps; step++)
        {
            var (surrogate, stepKl) = evaluate(fraction);
            kl = stepKl;
            improvement = surrogate - oldSurrogate;
            if (double.IsFinite(surrogate) && double.IsFinite(kl) && kl <= maxKl && improvement > 0)
                return new Result(true, fraction, step, kl, improvement);
            fraction *= shrink;
        }

        return new Result(false, 0.0, maxSteps, kl, improvement);
    }
}
