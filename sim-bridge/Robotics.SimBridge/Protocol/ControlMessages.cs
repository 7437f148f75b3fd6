using MessagePack;

namespace Robotics.SimBridge.Protocol;

/// <summary>SetRandomization (0x05): replaces the randomization ranges; they apply from each environment's next reset.</summary>
[MessagePackObject]
public sealed class SetRandomizationRequest
{
    /// <summary>The "randomization:" section of a task file, as YAML text (the mapping under that key).</summary>
    [Key(0)] public string Yaml { get; set; } = "";
}

/// <summary>SetRandomizationReply (0x85): the ranges now in force, as the bridge reads them back.</summary>
[MessagePackObject]
public sealed class SetRandomizationReply
{
    [Key(0)] public string Yaml { get; set; } = "";
}

/// <summary>GetRandomization (0x06): asks for the ranges and the values sampled for each environment's current episode.</summary>
[MessagePackObject]
public sealed class GetRandomizationRequest;

/// <summary>RandomizationReply (0x86).</summary>
[MessagePackObject]
public sealed class RandomizationReply
{
    [Key(0)] public string Yaml { get; set; } = "";

    /// <summary>One map per environment, in env order: parameter name → sampled value (scale or offset, as the YAML names it).</summary>
    [Key(1)] public Dictionary<string, double>[] Samples { get; set; } = [];
}

/// <summary>GetStats (0x07).</summary>
[MessagePackObject]
public sealed class GetStatsRequest;

/// <summary>StatsReply (0x87): counters of this client's batch since make, and of the bridge.</summary>
[MessagePackObject]
public sealed class StatsReply
{
    /// <summary>Step requests served.</summary>
    [Key(0)] public long BatchSteps { get; set; }

    /// <summary>Environment steps (batch steps × NumEnvs).</summary>
    [Key(1)] public long EnvSteps { get; set; }

    [Key(2)] public long Episodes { get; set; }
    [Key(3)] public long PhysicsResets { get; set; }

    /// <summary>Seconds spent inside the environments' step (the rest of a round trip is messaging).</summary>
    [Key(4)] public double StepSeconds { get; set; }

    /// <summary>Error replies the bridge has sent to any client since it started.</summary>
    [Key(5)] public long Errors { get; set; }

    /// <summary>Seconds since the bridge started.</summary>
    [Key(6)] public double UptimeSeconds { get; set; }

    /// <summary>Clients with a batch of environments.</summary>
    [Key(7)] public int Sessions { get; set; }

    /// <summary>Environment steps by every client since the bridge started (fields 0 to 5 count the asking client's batch).</summary>
    [Key(8)] public long BridgeEnvSteps { get; set; }

    /// <summary>Seconds spent inside every client's environment steps since the bridge started.</summary>
    [Key(9)] public double BridgeStepSeconds { get; set; }

    /// <summary>Episodes finished by every client since the bridge started.</summary>
    [Key(10)] public long BridgeEpisodes { get; set; }

    /// <summary>Clients the bridge serves at once.</summary>
    [Key(11)] public int MaxSessions { get; set; }
}

/// <summary>Close (0x08): frees this client's environments. Closing without a batch is not an error.</summary>
[MessagePackObject]
public sealed class CloseRequest;

/// <summary>CloseReply (0x88).</summary>
[MessagePackObject]
public sealed class CloseReply;

/// <summary>Error (0xFF): the request was refused; the bridge keeps serving.</summary>
[MessagePackObject]
public sealed class ErrorReply
{
    [Key(0)] public int Code { get; set; }
    [Key(1)] public string Message { get; set; } = "";
}
