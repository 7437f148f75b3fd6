using Robotics.Sim.Environments;
using Robotics.Training.Algorithms.Ppo;
using Robotics.Training.Configuration;
using TorchSharp;

namespace Robotics.Training.Algorithms;

/// <summary>Makes the algorithm a config names; a new algorithm adds one entry here and one section to the config.</summary>
public static class AlgorithmRegistry
{
    private static readonly Dictionary<string, Func<TrainingConfig, EnvSpec, torch.Device, IAlgorithm>> Factories = new()
    {
        ["ppo"] = (config, spec, device) => new PpoAlgorithm(config, spec, device),
        ["sac"] = (config, spec, device) => new Sac.SacAlgorithm(config, spec, device),
        ["reinforce"] = (config, spec, device) => new Reinforce.ReinforceAlgorithm(config, spec, device),
        ["a2c"] = (config, spec, device) => new A2c.A2cAlgorithm(config, spec, device),
        ["trpo"] = (config, spec, device) => new Trpo.TrpoAlgorithm(config, spec, device),
    };

    public static IReadOnlyCollection<string> Names => Factories.Keys;

    public static IAlgorithm Create(TrainingConfig config, EnvSpec spec, torch.Device device) =>
        Factories.TryGetValue(config.Algorithm, out var make)
            ? make(config, spec, device)
            : throw new ArgumentException($"unknown algorithm '{config.Algorithm}'; expected one of: {string.Join(", ", Names)}");
}
