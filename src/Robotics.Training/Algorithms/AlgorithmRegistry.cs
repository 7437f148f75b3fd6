using Robotics.Contract.Environments;
using Robotics.Training.Algorithms.A2c;
using Robotics.Training.Algorithms.Ppo;
using Robotics.Training.Algorithms.Reinforce;
using Robotics.Training.Algorithms.Sac;
using Robotics.Training.Algorithms.Trpo;
using Robotics.Training.Configuration;
using TorchSharp;

namespace Robotics.Training.Algorithms;

/// <summary>
/// An algorithm as a config names it: <paramref name="Name"/> is both its <c>algorithm:</c> value and the config section
/// that holds its options, of type <paramref name="OptionsType"/>, which check themselves; <paramref name="Create"/> makes it.
/// </summary>
public sealed record AlgorithmRegistration(
    string Name, Type OptionsType, Func<AlgorithmOptions> DefaultOptions, Func<TrainingConfig, EnvSpec, torch.Device, IAlgorithm> Create)
{
    public static AlgorithmRegistration Of<TOptions>(string name, Func<TrainingConfig, EnvSpec, torch.Device, IAlgorithm> create)
        where TOptions : AlgorithmOptions, new() => new(name, typeof(TOptions), () => new TOptions(), create);
}

/// <summary>The algorithms a config can name. A new algorithm is one folder and one entry here.</summary>
public static class AlgorithmRegistry
{
    /// <summary>In the order their sections are checked and written into a run folder's config.yaml.</summary>
    public static IReadOnlyList<AlgorithmRegistration> All { get; } =
    [
        AlgorithmRegistration.Of<PpoOptions>("ppo", (config, spec, device) => new PpoAlgorithm(config, spec, device)),
        AlgorithmRegistration.Of<SacOptions>("sac", (config, spec, device) => new SacAlgorithm(config, spec, device)),
        AlgorithmRegistration.Of<ReinforceOptions>("reinforce", (config, spec, device) => new ReinforceAlgorithm(config, spec, device)),
        AlgorithmRegistration.Of<A2cOptions>("a2c", (config, spec, device) => new A2cAlgorithm(config, spec, device)),
        AlgorithmRegistration.Of<TrpoOptions>("trpo", (config, spec, device) => new TrpoAlgorithm(config, spec, device)),
    ];

    public static IReadOnlyCollection<string> Names { get; } = All.Select(r => r.Name).ToArray();

    /// <summary>The registration whose options are of <paramref name="optionsType"/>.</summary>
    public static AlgorithmRegistration ForOptions(Type optionsType) =>
        All.FirstOrDefault(r => r.OptionsType == optionsType)
        ?? throw new ArgumentException($"{optionsType.Name} is not the options type of any algorithm in {nameof(AlgorithmRegistry)}");

    public static IAlgorithm Create(TrainingConfig config, EnvSpec spec, torch.Device device) =>
        All.FirstOrDefault(r => r.Name == config.Algorithm) is { } registration
            ? registration.Create(config, spec, device)
            : throw new ArgumentException($"unknown algorithm '{config.Algorithm}'; expected one of: {string.Join(", ", Names)}");
}
