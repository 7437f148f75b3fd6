using Robotics.Contract.Environments;
using Robotics.SimBridge.Protocol;

namespace Robotics.SimBridge.Server;

/// <summary>Makes the batch of environments a bridge serves to one client.</summary>
public interface IBridgeEnvFactory
{
    /// <summary>
    /// Creates <paramref name="numEnvs"/> environments for <paramref name="request"/>. Throws (any exception, with a
    /// message naming what is wrong) when the task cannot be made; the bridge answers with a ConfigError. A
    /// <see cref="Tasks.TaskRefusedException"/>'s message goes back to the client; others only when the bridge
    /// explains task errors (<see cref="BridgeServerOptions.ExplainTaskErrors"/>).
    /// </summary>
    IHostedEnv Create(MakeRequest request, int numEnvs);

    /// <summary>Worker threads that step environments, as reported in HelloReply.</summary>
    int Threads { get; }
}

/// <summary>An environment batch as the bridge hosts it: the env, and its randomization when it has one.</summary>
public interface IHostedEnv : IDisposable
{
    /// <summary>
    /// The environments. Their Step checks the batch with <see cref="ActionBatch"/>, as every vector does; the bridge
    /// answers its fault with BadShape or NonFiniteActions and the same message.
    /// </summary>
    IVectorEnv Env { get; }

    /// <summary>Null when the environment has no domain randomization to read or change.</summary>
    IRandomizationControl? Randomization { get; }
}

/// <summary>Reads and replaces an environment batch's randomization while it runs (curriculum).</summary>
public interface IRandomizationControl
{
    /// <summary>The ranges in force, as the YAML mapping of a task file's "randomization:" section.</summary>
    string CurrentYaml();

    /// <summary>Replaces the ranges from YAML text; throws with the key and what was expected when it is invalid.</summary>
    void Apply(string yaml);

    /// <summary>The values sampled for environment <paramref name="env"/>'s current episode.</summary>
    IReadOnlyDictionary<string, double> SampleOf(int env);
}
