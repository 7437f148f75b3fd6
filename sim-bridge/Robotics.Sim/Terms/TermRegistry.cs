using Robotics.Contract.Definitions;

namespace Robotics.Sim.Terms;

public delegate IObservationTerm ObservationTermFactory(TermArgs args);

public delegate IRewardTerm RewardTermFactory(TermArgs args);

public delegate ITerminationTerm TerminationTermFactory(TermArgs args);

/// <summary>
/// Term names and the factories that build them. Task files name terms; a name not registered here is
/// a <see cref="Robotics.Contract.ConfigException"/> that lists the registered ones. Factories run once
/// per environment (terms may keep per-episode state) and once when the task is loaded, to check it.
/// </summary>
public sealed class TermRegistry
{
    private readonly Dictionary<string, ObservationTermFactory> observations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RewardTermFactory> rewards = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TerminationTermFactory> terminations = new(StringComparer.Ordinal);

    /// <summary>The built-in terms. Add to a <see cref="CreateDefault"/> copy rather than to this shared one.</summary>
    public static TermRegistry Default { get; } = CreateDefault();

    public static TermRegistry CreateDefault()
    {
        var registry = new TermRegistry();
        ObservationTerms.Register(registry);
        PrivilegedObservationTerms.Register(registry);
        RewardTerms.Register(registry);
        LocomotionRewardTerms.Register(registry);
        TerminationTerms.Register(registry);
        return registry;
    }

    public IReadOnlyCollection<string> ObservationNames => observations.Keys;
    public IReadOnlyCollection<string> RewardNames => rewards.Keys;
    public IReadOnlyCollection<string> TerminationNames => terminations.Keys;

    public void AddObservation(string name, ObservationTermFactory factory) => observations.Add(name, factory);
    public void AddReward(string name, RewardTermFactory factory) => rewards.Add(name, factory);
    public void AddTermination(string name, TerminationTermFactory factory) => terminations.Add(name, factory);

    internal IObservationTerm CreateObservation(TermArgs args) => Find(observations, args.Definition, "observation")(args);
    internal IRewardTerm CreateReward(TermArgs args) => Find(rewards, args.Definition, "reward")(args);
    internal ITerminationTerm CreateTermination(TermArgs args) => Find(terminations, args.Definition, "termination")(args);

    private static T Find<T>(Dictionary<string, T> factories, TermDefinition definition, string what)
    {
        if (factories.TryGetValue(definition.Term, out var factory))
            return factory;
        if (definition.Term is "time_limit" or "timeout")
            throw definition.Error("term", "the time limit is not a term: set max_episode_steps at the top of the task (it truncates episodes)");
        throw definition.Error("term",
            $"unknown {what} term '{definition.Term}'; known {what} terms: {string.Join(", ", factories.Keys.Order(StringComparer.Ordinal))}");
    }
}
