using System.Globalization;
using Robotics.Contract;

namespace Robotics.Runtime.Policy;

/// <summary>
/// What an exported policy says about itself in the ONNX metadata_props: the full policy contract
/// (robot, observation layout, action scaling) with its hash, the hash of the graph and weights
/// (<see cref="OnnxModelHash"/>), and where the weights came from. The exporter writes these keys and the
/// runtime reads them; both use this one type.
/// </summary>
public sealed record PolicyMetadata(
    PolicyContract Contract,
    string Algorithm,
    string RunName,
    long Step,
    string ProjectVersion)
{
    public const string FormatKey = "robotics.format";
    public const string PolicyContractKey = "robotics.policy_contract";
    public const string PolicyContractHashKey = "robotics.policy_contract_hash";
    public const string RobotContractHashKey = "robotics.robot_contract_hash";
    public const string ModelHashKey = "robotics.model_hash";
    public const string AlgorithmKey = "robotics.algorithm";
    public const string RunKey = "robotics.run";
    public const string StepKey = "robotics.step";
    public const string ProjectVersionKey = "robotics.project_version";

    /// <summary>The verified <see cref="OnnxModelHash"/> of the model this was read from; empty on the exporter's side.</summary>
    public string ModelHash { get; init; } = "";

    /// <summary>Bumped when the meaning of the keys changes. Format 2 added the model hash.</summary>
    public const string CurrentFormat = "2";

    /// <summary>Name of the graph input: raw observations, float32 [batch, obs_dim].</summary>
    public const string InputName = "obs";

    /// <summary>Name of the graph output: commands in the robot's units, float32 [batch, act_dim].</summary>
    public const string OutputName = "actions";

    /// <param name="modelHash"><see cref="OnnxModelHash.Compute"/> of the model these properties go into.</param>
    public IReadOnlyList<KeyValuePair<string, string>> ToProperties(string modelHash) =>
    [
        new(FormatKey, CurrentFormat),
        new(PolicyContractKey, Contract.ToJson()),
        new(PolicyContractHashKey, Contract.Hash),
        new(RobotContractHashKey, Contract.Robot.Hash),
        new(ModelHashKey, modelHash),
        new(AlgorithmKey, Algorithm),
        new(RunKey, RunName),
        new(StepKey, Step.ToString(CultureInfo.InvariantCulture)),
        new(ProjectVersionKey, ProjectVersion),
    ];

    /// <summary>
    /// Reads and validates the properties; the hashes must match the contract they travel with and the graph and
    /// weights of <paramref name="model"/>, so a hand-edited contract or weight is refused rather than trusted.
    /// </summary>
    /// <param name="model">The bytes of the model file the properties were read from.</param>
    public static PolicyMetadata Parse(IReadOnlyDictionary<string, string> properties, string source, ReadOnlySpan<byte> model)
    {
        string Get(string key) =>
            properties.TryGetValue(key, out var value)
                ? value
                : throw new PolicyLoadException($"{source}: metadata '{key}' is missing; this model was not written by 'robotics export'. Export the policy again.");

        var format = Get(FormatKey);
        if (format != CurrentFormat)
            throw new PolicyLoadException($"{source}: metadata format '{format}' is not supported (this runtime reads format {CurrentFormat}). Export the policy again with this version.");

        var declaredModelHash = Get(ModelHashKey);
        string modelHash;
        try
        {
            modelHash = OnnxModelHash.Compute(model);
        }
        catch (InvalidDataException e)
        {
            throw new PolicyLoadException($"{source}: the model's structure is not what 'robotics export' writes ({e.Message}); it was altered. Export the policy again.", e);
        }

        if (declaredModelHash != modelHash)
            throw new PolicyLoadException($"{source}: the graph or weights do not match the model hash in its metadata ({Short(declaredModelHash)}, computed {Short(modelHash)}); the file was altered or damaged. Export the policy again or copy the original file.");

        PolicyContract contract;
        try
        {
            contract = PolicyContract.FromJson(Get(PolicyContractKey));
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidDataException or NotSupportedException)
        {
            throw new PolicyLoadException($"{source}: metadata '{PolicyContractKey}' is not a valid policy contract: {e.Message}", e);
        }

        if (contract.Robot is null || contract.Observations is null || contract.ActionOffset is null || contract.ActionScale is null)
            throw new PolicyLoadException($"{source}: metadata '{PolicyContractKey}' lacks the robot, observation or action fields.");

        var declaredHash = Get(PolicyContractHashKey);
        if (declaredHash != contract.Hash)
            throw new PolicyLoadException($"{source}: the policy contract hash in the metadata ({declaredHash}) does not match its contract ({contract.Hash}); the metadata was altered.");
        var declaredRobotHash = Get(RobotContractHashKey);
        if (declaredRobotHash != contract.Robot.Hash)
            throw new PolicyLoadException($"{source}: the robot contract hash in the metadata ({declaredRobotHash}) does not match its contract ({contract.Robot.Hash}); the metadata was altered.");

        if (!long.TryParse(Get(StepKey), NumberStyles.Integer, CultureInfo.InvariantCulture, out var step))
            throw new PolicyLoadException($"{source}: metadata '{StepKey}' is not an integer.");

        return new PolicyMetadata(contract, Get(AlgorithmKey), Get(RunKey), step, Get(ProjectVersionKey)) { ModelHash = modelHash };
    }

    // Enough of a hash to tell two apart in a message; a hostile value is not echoed whole.
    private static string Short(string hash) => hash.Length <= 16 ? hash : hash[..16] + "...";
}
