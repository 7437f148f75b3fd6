using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Robotics.Contract;

/// <summary>One joint as the robot and the policy both see it; units are SI (rad, rad/s, N·m or m, m/s, N).</summary>
public sealed record JointSpec(string Name, double PositionMin, double PositionMax, double VelocityMax, double EffortMax);

/// <summary>One actuator in command order. <see cref="Mode"/> is what its command means: "effort", "position" or "velocity".</summary>
public sealed record ActuatorSpec(string Name, string Joint, string Mode, double CommandMin, double CommandMax);

/// <summary>
/// What the robot is, as far as a policy is concerned: joint and actuator order, limits and rates.
/// The firmware reports the hash of this record in its handshake.
/// </summary>
public sealed record RobotContract(
    string Robot,
    IReadOnlyList<JointSpec> Joints,
    IReadOnlyList<ActuatorSpec> Actuators,
    double ControlRateHz,
    int PhysicsDecimation,
    bool HasImu)
{
    /// <summary>SHA-256 of the canonical JSON form, lower-case hex.</summary>
    [JsonIgnore]
    public string Hash => ContractJson.Sha256Hex(ToJson());

    /// <summary>The first 8 bytes of <see cref="Hash"/>, as carried by the serial handshake.</summary>
    [JsonIgnore]
    public ulong ShortHash => Convert.ToUInt64(Hash[..16], 16);

    public string ToJson() => JsonSerializer.Serialize(this, ContractJsonContext.Default.RobotContract);

    public static RobotContract FromJson(string json) =>
        JsonSerializer.Deserialize(json, ContractJsonContext.Default.RobotContract)
        ?? throw new InvalidDataException("robot contract JSON is empty");

    /// <summary>Every difference between two contracts, one readable line each; empty when they match.</summary>
    public IReadOnlyList<string> DifferencesFrom(RobotContract other) => ContractDiff.Between(this, other);

    /// <summary>The index of joint <paramref name="name"/> in <see cref="Joints"/>, or -1 when the contract has no such joint.</summary>
    public int JointIndex(string name)
    {
        for (int i = 0; i < Joints.Count; i++)
        {
            if (Joints[i].Name == name)
                return i;
        }

        return -1;
    }
}

/// <summary>One block of the observation vector, in order.</summary>
public sealed record ObservationTermSpec(string Kind, IReadOnlyList<string> Names, int Size);

/// <summary>
/// What a trained policy expects: the robot contract plus the observation layout and the map from
/// normalized actions a in [-1, 1] to commands: command = Offset + Scale * a, then clamped to the actuator range.
/// Written into the ONNX metadata.
/// </summary>
public sealed record PolicyContract(
    RobotContract Robot,
    string Task,
    IReadOnlyList<ObservationTermSpec> Observations,
    IReadOnlyList<double> ActionOffset,
    IReadOnlyList<double> ActionScale)
{
    /// <summary>Commands the observation reads (see <see cref="CommandSpec"/>), in the order of the command vector.</summary>
    public IReadOnlyList<CommandSpec> Commands { get; init; } = [];

    /// <summary>
    /// The rate-of-change limit the policy was trained under (its task's <c>actions: max_change_per_second</c>, see
    /// <see cref="CommandRateLimit"/>), or null when it trained without one. The runtime applies it as part of the
    /// policy, so the cuts the policy learned with are not safety interventions. Absent from the JSON when null, so
    /// policies trained without a limit keep their contract and hash.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? ActionMaxChangePerSecond { get; init; }

    [JsonIgnore]
    public int ObservationSize => Observations.Sum(o => o.Size);

    /// <summary>Length of the command vector: the sizes of <see cref="Commands"/> summed.</summary>
    [JsonIgnore]
    public int CommandSize => Commands.Sum(c => c.Size);

    [JsonIgnore]
    public int ActionSize => Robot.Actuators.Count;

    [JsonIgnore]
    public string Hash => ContractJson.Sha256Hex(ToJson());

    public string ToJson() => JsonSerializer.Serialize(this, ContractJsonContext.Default.PolicyContract);

    public static PolicyContract FromJson(string json) =>
        JsonSerializer.Deserialize(json, ContractJsonContext.Default.PolicyContract)
        ?? throw new InvalidDataException("policy contract JSON is empty");
}

/// <summary>
/// The contract's JSON form, generated at compile time so that trimmed and NativeAOT programs read and write it
/// exactly as the full stack does (the contract hash depends on every byte).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = false,
    // A continuous joint has no position limit: its bounds are written as "-Infinity" and "Infinity".
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(RobotContract))]
[JsonSerializable(typeof(PolicyContract))]
internal sealed partial class ContractJsonContext : JsonSerializerContext;

internal static class ContractJson
{
    public static string Sha256Hex(string text) =>
        Convert.ToHexStringLower(Sha256.HashData(Encoding.UTF8.GetBytes(text)));
}
