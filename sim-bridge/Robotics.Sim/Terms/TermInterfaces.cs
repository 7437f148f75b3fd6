using Robotics.Contract;

namespace Robotics.Sim.Terms;

/// <summary>A block of the observation vector.</summary>
public interface IObservationTerm
{
    /// <summary>The block as the policy contract records it.</summary>
    ObservationTermSpec Spec { get; }

    /// <summary>Writes <see cref="ObservationTermSpec.Size"/> values. Not called for blocks the shared ObservationBuilder writes.</summary>
    void Write(TermContext context, Span<float> into);
}

/// <summary>One reward term; the task multiplies its value by the term's weight.</summary>
public interface IRewardTerm
{
    double Compute(TermContext context);
}

/// <summary>A condition that ends an episode as terminated (a state the task counts as failure or success).</summary>
public interface ITerminationTerm
{
    bool IsMet(TermContext context);
}

/// <summary>A term that keeps state across a control step (e.g. the position before it, for a velocity).</summary>
public interface IStatefulTerm
{
    /// <summary>Called after the initial state is set, before the first observation.</summary>
    void OnEpisodeStart(TermContext context);

    /// <summary>Called before the physics steps of each control step.</summary>
    void BeforeControlStep(TermContext context);
}

/// <summary>
/// A term that measures something about the episode beyond its reward (e.g. how closely a velocity
/// command was tracked). Its figures join the episode's statistics, which training logs and evaluation
/// reports beside the return. Reset them in <see cref="IStatefulTerm.OnEpisodeStart"/>.
/// </summary>
public interface IEpisodeStatistics
{
    /// <summary>Adds this episode's figures so far; called once when an episode's statistics are read.</summary>
    void WriteEpisodeStats(IDictionary<string, double> into);
}
