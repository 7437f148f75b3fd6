using Robotics.Contract.Definitions;
using Robotics.Sim.Mujoco;
using Robotics.Sim.Terms;

namespace Robotics.Sim.Tasks;

/// <summary>One environment's instances of a task's terms, in the task's order.</summary>
internal sealed class TaskTerms
{
    private TaskTerms(IObservationTerm[] observations, IObservationTerm[] criticObservations, IRewardTerm[] rewards, ITerminationTerm[] terminations)
    {
        Observations = observations;
        CriticObservations = criticObservations;
        Rewards = rewards;
        Terminations = terminations;
        var all = observations.Cast<object>().Concat(criticObservations).Concat(rewards).Concat(terminations).ToArray();
        Stateful = all.OfType<IStatefulTerm>().ToArray();
        Statistics = all.OfType<IEpisodeStatistics>().ToArray();
    }

    public IObservationTerm[] Observations { get; }

    /// <summary>The terms only the value function sees (<see cref="TaskDefinition.CriticObservations"/>).</summary>
    public IObservationTerm[] CriticObservations { get; }
    public IRewardTerm[] Rewards { get; }
    public ITerminationTerm[] Terminations { get; }
    public IStatefulTerm[] Stateful { get; }
    public IEpisodeStatistics[] Statistics { get; }

    public static TaskTerms Create(LoadedTask task, MjModel model)
    {
        var definition = task.TaskDefinition;
        TermArgs Args(TermDefinition term) => new(term, definition, task.Binding, model, task.NominalModel);
        return new TaskTerms(
            definition.Observations.Select(t => task.Terms.CreateObservation(Args(t))).ToArray(),
            definition.CriticObservations.Select(t => task.Terms.CreateObservation(Args(t))).ToArray(),
            definition.Rewards.Select(t => task.Terms.CreateReward(Args(t))).ToArray(),
            definition.Terminations.Select(t => task.Terms.CreateTermination(Args(t))).ToArray());
    }
}
