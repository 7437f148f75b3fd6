using MessagePack;

namespace Robotics.SimBridge.Protocol;

/// <summary>
/// Hello (0x01): asks the bridge who it is; needs no environment. Used to wait until a bridge answers. On a bridge with
/// keys it also authenticates the client, and must come before any other request.
/// </summary>
[MessagePackObject]
public sealed class HelloRequest
{
    [Key(0)] public int ProtocolVersion { get; set; } = BridgeProtocol.Version;

    /// <summary>Free text for the bridge's log, e.g. "trainer pid 1234".</summary>
    [Key(1)] public string Client { get; set; } = "";

    /// <summary>The client's CURVE public key (32 bytes); only for a bridge with keys, nil otherwise.</summary>
    [Key(2)] public byte[]? ClientKey { get; set; }

    /// <summary>Proof that the client holds <see cref="ClientKey"/>'s secret key, see <see cref="Security.HelloProof"/>; nil without keys.</summary>
    [Key(3)] public byte[]? Proof { get; set; }
}

/// <summary>HelloReply (0x81).</summary>
[MessagePackObject]
public sealed class HelloReply
{
    [Key(0)] public int ProtocolVersion { get; set; } = BridgeProtocol.Version;

    /// <summary>Name and version of the bridge program.</summary>
    [Key(1)] public string Bridge { get; set; } = "";

    /// <summary>Environments per batch when a Make asks for 0.</summary>
    [Key(2)] public int DefaultNumEnvs { get; set; }

    /// <summary>Worker threads that step environments in parallel.</summary>
    [Key(3)] public int Threads { get; set; }
}

/// <summary>Make (0x02): creates (or replaces) this client's batch of environments.</summary>
[MessagePackObject]
public sealed class MakeRequest
{
    [Key(0)] public int ProtocolVersion { get; set; } = BridgeProtocol.Version;

    /// <summary>Task name from the catalog (e.g. "cartpole-balance") or a path to a task YAML file on the bridge's machine.</summary>
    [Key(1)] public string Task { get; set; } = "";

    /// <summary>Environments in the batch; 0 takes the bridge's default.</summary>
    [Key(2)] public int NumEnvs { get; set; }

    /// <summary>Whether domain randomization from the task file is applied. Seeds come with Reset.</summary>
    [Key(3)] public bool Randomize { get; set; } = true;
}

/// <summary>SpecReply (0x82): the shapes and contract of the batch just made.</summary>
[MessagePackObject]
public sealed class SpecReply
{
    [Key(0)] public int ProtocolVersion { get; set; } = BridgeProtocol.Version;
    [Key(1)] public int NumEnvs { get; set; }
    [Key(2)] public int ObservationSize { get; set; }
    [Key(3)] public int ActionSize { get; set; }

    /// <summary>float32 little-endian × ActionSize, in the robot's units.</summary>
    [Key(4)] public byte[] ActionLow { get; set; } = [];

    /// <summary>float32 little-endian × ActionSize, in the robot's units.</summary>
    [Key(5)] public byte[] ActionHigh { get; set; } = [];

    /// <summary>The policy contract as JSON (snake_case keys), see Robotics.Contract.PolicyContract.</summary>
    [Key(6)] public string ContractJson { get; set; } = "";

    /// <summary>Seconds of simulated time per step.</summary>
    [Key(7)] public double ControlDt { get; set; }

    /// <summary>Steps after which an episode is truncated.</summary>
    [Key(8)] public int MaxEpisodeSteps { get; set; }

    /// <summary>Width of the observations only a value function sees (the task's critic_observations); 0 without them.</summary>
    [Key(9)] public int CriticObservationSize { get; set; }
}
